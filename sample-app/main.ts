import 'reflect-metadata';
import { createSampleApp, DOCS_PATH } from './app.factory.js';
import { DEFAULT_ATTEMPT_LIMITS, sampleConfigFromEnv, type AttemptLimitSetting } from './config.js';
import { DEMO } from './database/demo-data.js';

/** `npm start`: the sample API on PORT (3000) and HOST (127.0.0.1), with its demo credentials. */
async function bootstrap(): Promise<void> {
  const config = sampleConfigFromEnv();
  const app = await createSampleApp(config);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { alice, bob, carol, restricted, closed, denied } = DEMO.users;
  const limits = config.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS;
  const limit = ({ maxAttempts, windowSeconds }: AttemptLimitSetting): string =>
    `${maxAttempts} in ${windowSeconds / 60} min`;
  const lines = [
    '',
    `nestjs-api-errors sample app (${config.adapter}) listening on ${url}`,
    `  Swagger UI:    ${url}/${DOCS_PATH}   (OpenAPI JSON: ${url}/${DOCS_PATH}/openapi.json)`,
    `  Database:      ${config.database}${config.redisUrl === undefined ? '' : `   Redis: ${config.redisUrl}`}`,
    config.demoMode
      ? `  DEMO MODE ON:  the demo OAuth provider (${url}/demo-oauth/token) signs anyone in as whoever a demo: code names; never on a real deployment`
      : `  Demo mode off: no demo OAuth provider; OAuth ${config.oauthProviderUrl === undefined ? 'is off (auth.oauth.failed): set OAUTH_PROVIDER_URL, or DEMO_MODE=1' : `uses ${config.oauthProviderUrl}`}`,
    config.dataDir === null
      ? ''
      : `  SMS outbox:    ${config.dataDir}/sms-outbox.txt   (one-time passwords "sent" to phones land here)`,
    '',
    'Demo credentials (demo data only):',
    `  API key (X-Api-Key):        ${DEMO.apiKey}`,
    `  another app's API key:      ${DEMO.mobileApiKey}   (searches objects only, recovery by email only)`,
    `  revoked API key:            ${DEMO.revokedApiKey}`,
    `  captcha_response:           ${DEMO.captcha.pass} (passes), ${DEMO.captcha.fail} (fails), ${DEMO.captcha.unavailable} (provider down)`,
    `  users (login_id / password):`,
    `    ${alice.loginId} / ${alice.password}   second factor: backup code ${alice.backupCodes[0]} or memorable word "${alice.memorableWord}"; OTP for critical changes`,
    `    ${bob.loginId} / ${bob.password}       password for critical changes; OAuth code demo:${bob.oauthSubject} (demo mode)`,
    `    ${carol.loginId} / ${carol.password}   no email, recovery by phone turned off; OAuth code demo:${carol.oauthSubject} (demo mode)`,
    `    ${restricted.loginId} / ${restricted.password} (restricted)   ${closed.loginId} / ${closed.password} (closed)   ${denied.loginId} / ${denied.password} (denied)`,
    `  signing key (Signature):    keyId ${DEMO.signingKeyId}, secret ${DEMO.signingSecret}`,
    `  disclaimers to accept:      ${DEMO.disclaimers.join(', ')}`,
    '',
    'Guesses are limited (then 429 request.rate.exceeded; see sample-app/config.ts), per account / per client address:',
    `  sign-in ${limit(limits.signIn.account)} / ${limit(limits.signIn.ip)};  second factor ${limit(limits.secondFactor.account)} / ${limit(limits.secondFactor.ip)};  control answers ${limit(limits.controlAnswer.account)} / ${limit(limits.controlAnswer.ip)}`,
    '',
    `Try: curl -s ${url}/objects        (401 auth.apikey.missing)`,
    '',
  ];
  // A banner on stdout, not a log line: the demo credentials are demo data, printed on purpose.
  process.stdout.write(`${lines.join('\n')}\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
