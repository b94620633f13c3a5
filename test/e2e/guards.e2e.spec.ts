import { ApiErrorsModule, createValidationPipe } from 'nestjs-api-errors';
import {
  AUDIENCE,
  GuardedClassController,
  GuardedController,
  ISSUER,
  SECRETS,
  guardOptions,
} from '../fixtures/guards.fixture.js';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send, type RawResponse, type RequestOptions } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';
import { signatureHeader, type SigningOptions } from '../support/signing.js';
import { json, startStub, type StubServer } from '../support/stub-server.js';
import { mintJwt, nowSeconds as now, unsignedJwt } from '../support/tokens.js';

const CAPTCHA = {
  pass: 'captcha-pass-token-3f2e1d',
  fail: 'captcha-fail-token-8a7b6c',
  hang: 'captcha-hang',
  html: 'captcha-html',
  error: 'captcha-error',
};

/** A token of the fixture's issuer for an active user-1; `claims` may change sub, iss, aud, or ask for `noExp`. */
function token(claims: Record<string, unknown> = {}, options: { secret?: string; exp?: number } = {}): Promise<string> {
  return mintJwt(options.secret ?? SECRETS.jwtSecret, {
    claims: { status: 'active', ...claims },
    sub: (claims.sub as string) ?? 'user-1',
    iss: (claims.iss as string) ?? ISSUER,
    aud: (claims.aud as string) ?? AUDIENCE,
    iat: true,
    exp: options.exp ?? ('noExp' in claims ? null : now() + 600),
  });
}

type SignOptions = Partial<SigningOptions> & { path: string };

/** What the partner's client does, with key partner-1 and its new secret unless told otherwise. */
function signature(options: SignOptions): string {
  return signatureHeader({ keyId: 'partner-1', secret: SECRETS.signingSecretNew, ...options });
}

describe.each(ADAPTERS)('guards on %s', adapter => {
  let running: RunningApp;
  let captcha: StubServer;
  const sentSecrets: string[] = [];
  const responses: string[] = [];

  const call = async (path: string, options: RequestOptions = {}): Promise<RawResponse> => {
    const res = await send(running.baseUrl, path, options);
    responses.push(JSON.stringify(res.headers) + res.text);
    return res;
  };
  const post = (path: string, body: object, headers: Record<string, string | string[]> = {}): Promise<RawResponse> => {
    const text = JSON.stringify(body);
    return call(path, { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...headers } });
  };
  const remember = <T extends string>(secret: T): T => {
    sentSecrets.push(secret);
    return secret;
  };

  beforeAll(async () => {
    captcha = await startStub((_request, body, response) => {
      const answer = new URLSearchParams(body).get('response');
      if (answer === CAPTCHA.hang) {
        return; // never answers
      }
      if (answer === CAPTCHA.html) {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>maintenance</html>');
        return;
      }
      if (answer === CAPTCHA.error) {
        json(response, 500, { error: 'internal' });
        return;
      }
      json(response, 200, {
        success: answer === CAPTCHA.pass,
        'error-codes': answer === CAPTCHA.pass ? [] : ['invalid-input-response'],
      });
    });
    running = await startApp(
      adapter,
      {
        imports: [ApiErrorsModule.forRoot(guardOptions(captcha.url))],
        controllers: [GuardedController, GuardedClassController],
      },
      app => app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true })),
      { rawBody: true },
    );
    sentSecrets.push(...Object.values(SECRETS), CAPTCHA.pass, CAPTCHA.fail);
  });

  afterAll(async () => {
    await running.close();
    await captcha.close();
  });

  describe('ApiKeyGuard', () => {
    it('lets a known key through and hands its client application to the handler', async () => {
      const res = await call('/guarded/key', { headers: { 'x-api-key': remember(SECRETS.apiKey) } });
      expect(res.text).toBe('{"status":"success","client":"app-1"}');
    });

    it('accepts a key configured by its SHA-256 hash', async () => {
      const res = await call('/guarded/key', { headers: { 'x-api-key': SECRETS.hashedApiKey } });
      expect(res.text).toBe('{"status":"success","client":"app-2"}');
    });

    it.each([
      ['no header', {}],
      ['an empty header', { 'x-api-key': '' }],
      ['a blank header', { 'x-api-key': '   ' }],
    ])('answers auth.apikey.missing for %s', async (_name, headers) => {
      expectError(await call('/guarded/key', { headers }), 'auth.apikey.missing');
    });

    it.each([
      ['an unknown key', 'ak_live_unknown_000000'],
      ['a 1-character key', 'x'],
      ['a 10 KB key', 'k'.repeat(10 * 1024)],
      ['the key with a changed last character', `${SECRETS.apiKey.slice(0, -1)}X`],
      ['the hash instead of the key', 'a'.repeat(64)],
      ['non-ASCII characters', 'clé-été'],
    ])('answers auth.apikey.invalid for %s', async (_name, key) => {
      expectError(await call('/guarded/key', { headers: { 'x-api-key': remember(key) } }), 'auth.apikey.invalid');
    });

    it('answers auth.apikey.invalid for two keys at once', async () => {
      expectError(
        await call('/guarded/key', { headers: { 'x-api-key': [SECRETS.apiKey, SECRETS.hashedApiKey] } }),
        'auth.apikey.invalid',
      );
    });

    it('applies a controller-level @RequireApiKey() to every route', async () => {
      expectError(await call('/guarded-class'), 'auth.apikey.missing');
      const res = await call('/guarded-class', { headers: { 'x-api-key': SECRETS.apiKey } });
      expect(res.text).toBe('{"status":"success","client":"app-1"}');
    });
  });

  describe('AuthorizationGuard, headers', () => {
    it('answers auth.header.missing with a Bearer challenge', async () => {
      const res = await call('/guarded/auth');
      expectError(res, 'auth.header.missing');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", Signature realm="api"');
    });

    it.each([
      ['an unknown scheme', 'Basic dXNlcjpwYXNz'],
      ['a scheme without a value', 'Bearer'],
      ['an empty token', 'Bearer '],
      ['a token with spaces inside', 'Bearer abc def'],
      ['a token with characters outside b64token', 'Bearer abc$%^'],
      ['a value only', 'eyJhbGciOiJIUzI1NiJ9'],
    ])('answers auth.header.invalid for %s', async (_name, authorization) => {
      const res = await call('/guarded/auth', { headers: { authorization } });
      expectError(res, 'auth.header.invalid');
      expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
    });

    it('answers auth.header.invalid for two Authorization headers', async () => {
      const good = await token();
      remember(good);
      const res = await call('/guarded/auth', { headers: { authorization: [`Bearer ${good}`, `Bearer ${good}`] } });
      expectError(res, 'auth.header.invalid');
    });

    it('answers auth.header.invalid for a header and a token field together', async () => {
      const good = remember(await token());
      expectError(
        await post('/guarded/auth', { text: 'hi', token: good }, { authorization: `Bearer ${good}` }),
        'auth.header.invalid',
      );
    });

    it('accepts the scheme in any case', async () => {
      const res = await call('/guarded/auth', { headers: { authorization: `bEaReR ${remember(await token())}` } });
      expect(res.text).toBe('{"status":"success","principal":"user-1"}');
    });
  });

  describe('AuthorizationGuard, Bearer JWT', () => {
    it('lets a valid token through and hands the principal to the handler', async () => {
      const res = await call('/guarded/auth', { headers: { authorization: `Bearer ${remember(await token())}` } });
      expect(res.text).toBe('{"status":"success","principal":"user-1"}');
    });

    it('accepts the token in the token field and removes it before the whitelisting pipe', async () => {
      const res = await post('/guarded/auth', { text: 'hello', token: remember(await token()) });
      expect(res.text).toBe('{"status":"success","principal":"user-1","text":"hello"}');
    });

    it('answers auth.header.invalid for a token field that is not a string', async () => {
      expectError(await post('/guarded/auth', { text: 'hello', token: 12345 }), 'auth.header.invalid');
    });

    it('accepts a token expired within the clock tolerance (30 s)', async () => {
      const res = await call('/guarded/auth', {
        headers: { authorization: `Bearer ${remember(await token({}, { exp: now() - 10 }))}` },
      });
      expect(res.status).toBe(200);
    });

    it('answers auth.token.expired for an expired token, with an invalid_token challenge', async () => {
      const res = await call('/guarded/auth', {
        headers: { authorization: `Bearer ${remember(await token({}, { exp: now() - 120 }))}` },
      });
      expectError(res, 'auth.token.expired');
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="The access token expired", Signature realm="api"',
      );
    });

    it.each([
      ['a forged signature', () => token({}, { secret: 'another-secret-of-an-attacker-123' })],
      [
        'a forged token that is also expired',
        () => token({}, { secret: 'another-secret-of-an-attacker-123', exp: now() - 3600 }),
      ],
      ['alg: none', async () => unsignedJwt({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })],
      ['a wrong audience', () => token({ aud: 'https://other.test' })],
      ['a wrong issuer', () => token({ iss: 'https://evil.test' })],
      [
        'nbf in the future',
        () =>
          mintJwt(SECRETS.jwtSecret, {
            sub: 'user-1',
            iss: ISSUER,
            aud: AUDIENCE,
            nbf: now() + 3600,
            exp: now() + 7200,
          }),
      ],
      ['no exp claim', () => token({ noExp: true })],
      ['garbage', async () => 'not.a.jwt'],
      ['a truncated token', async () => (await token()).slice(0, -5)],
      [
        'a flipped payload byte',
        async () => {
          const [h, p, s] = (await token()).split('.');
          return `${h}.${(p as string).slice(0, -2)}${(p as string).endsWith('A') ? 'B' : 'A'}${(p as string).slice(-1)}.${s}`;
        },
      ],
    ])('answers auth.token.invalid for %s', async (_name, make) => {
      const jwt = remember(await make());
      const res = await call('/guarded/auth', { headers: { authorization: `Bearer ${jwt}` } });
      expectError(res, 'auth.token.invalid');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it.each([
      ['restricted', 'auth.user.restricted'],
      ['closed', 'auth.user.closed'],
      ['denied', 'auth.user.denied'],
    ] as const)('answers 403 for a %s principal', async (status, code) => {
      const res = await call('/guarded/auth', {
        headers: { authorization: `Bearer ${remember(await token({ status }))}` },
      });
      expectError(res, code);
      expect(res.headers['www-authenticate']).toBeUndefined();
    });

    it('refuses a Bearer token on a signature-only route', async () => {
      expectError(
        await post('/guarded/signature-only', {}, { authorization: `Bearer ${remember(await token())}` }),
        'auth.header.invalid',
      );
    });
  });

  describe('AuthorizationGuard, Signature', () => {
    const path = '/guarded/signature-only';
    const body = '{"amount":100}';

    const signed = (options: Partial<SignOptions> = {}): Promise<RawResponse> => {
      const header = remember(signature({ path, body, ...options }));
      return call(`${path}${options.query ? `?${options.query}` : ''}`, {
        method: 'POST',
        body: options.body ?? body,
        headers: { 'content-type': 'application/json', authorization: header },
      });
    };

    it('lets a correctly signed request through', async () => {
      const res = await signed();
      expect(res.text).toBe('{"status":"success","principal":"partner-1"}');
    });

    it('covers the query string', async () => {
      const header = signature({ path, body, query: 'a=1' });
      const res = await call(`${path}?a=2`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: header },
      });
      expectError(res, 'auth.signature.invalid');
    });

    it.each([299, -299])('accepts created = now + (%d) s, inside the 300 s window', async offset => {
      expect((await signed({ created: now() + offset })).status).toBe(201);
    });

    it.each([301, -301])('answers auth.signature.expired for created = now + (%d) s', async offset => {
      expectError(await signed({ created: now() + offset }), 'auth.signature.expired');
    });

    it('answers auth.signature.invalid for a flipped body byte', async () => {
      const header = signature({ path, body });
      const res = await call(path, {
        method: 'POST',
        body: '{"amount":900}',
        headers: { 'content-type': 'application/json', authorization: header },
      });
      expectError(res, 'auth.signature.invalid');
    });

    it('answers auth.signature.invalid for a re-used nonce', async () => {
      const header = signature({ path, body });
      const first = await call(path, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: header },
      });
      expect(first.status).toBe(201);
      const replay = await call(path, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: header },
      });
      expectError(replay, 'auth.signature.invalid');
    });

    it('accepts the old and the new secret during a rotation', async () => {
      expect((await signed({ secret: SECRETS.signingSecretOld })).status).toBe(201);
      expect((await signed({ secret: SECRETS.signingSecretNew })).status).toBe(201);
    });

    it.each([
      ['an unknown key id', { keyId: 'partner-9' }],
      ['a wrong secret', { secret: 'a-secret-nobody-configured-42' }],
      ['another method', { method: 'PUT' }],
      ['another path', { path: '/guarded/auth' }],
    ])('answers auth.signature.invalid for %s', async (_name, options) => {
      expectError(await signed(options), 'auth.signature.invalid');
    });

    it('answers auth.signature.invalid for a forged signature that is also expired', async () => {
      expectError(
        await signed({ secret: 'a-secret-nobody-configured-42', created: now() - 3600 }),
        'auth.signature.invalid',
      );
    });

    it.each([
      ['no parameters', 'Signature x'],
      ['a missing nonce', 'Signature keyId="partner-1",created=1,signature="AAAA"'],
      ['a repeated parameter', 'Signature keyId="a",keyId="b",created=1,nonce="0123456789abcdef",signature="AAAA"'],
      [
        'an undecodable signature',
        `Signature keyId="partner-1",created=${now()},nonce="0123456789abcdef",signature="!!!"`,
      ],
      [
        'a huge created',
        `Signature keyId="partner-1",created=99999999999999999999,nonce="0123456789abcdef",signature="${'A'.repeat(43)}="`,
      ],
    ])('answers auth.signature.invalid for %s', async (_name, authorization) => {
      expectError(
        await call(path, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization } }),
        'auth.signature.invalid',
      );
    });

    it('refuses a signature on a bearer-only route', async () => {
      const header = signature({ path: '/guarded/bearer-only', body });
      const res = await call('/guarded/bearer-only', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: header },
      });
      expectError(res, 'auth.header.invalid');
    });
  });

  describe('CaptchaGuard', () => {
    it('lets a solved captcha through and removes the field before the whitelisting pipe', async () => {
      const res = await post('/guarded/captcha', { text: 'hello', captcha_response: CAPTCHA.pass });
      expect(res.text).toBe('{"status":"success","text":"hello"}');
      const last = captcha.received.at(-1);
      expect(new URLSearchParams(last?.body).get('secret')).toBe(SECRETS.captchaSecret);
    });

    it.each([
      ['no field', {}],
      ['an empty field', { captcha_response: '' }],
      ['null', { captcha_response: null }],
    ])('answers auth.captcha.missing for %s', async (_name, extra) => {
      expectError(await post('/guarded/captcha', { text: 'hello', ...extra }), 'auth.captcha.missing');
    });

    it('answers auth.captcha.missing for a request without a body', async () => {
      expectError(await call('/guarded/captcha', { method: 'POST' }), 'auth.captcha.missing');
    });

    it.each([
      ['a refused response', CAPTCHA.fail],
      ['a non-string response', 42],
      ['a 10 KB response', 'r'.repeat(10 * 1024)],
    ])('answers auth.captcha.invalid for %s', async (_name, answer) => {
      expectError(await post('/guarded/captcha', { text: 'hello', captcha_response: answer }), 'auth.captcha.invalid');
    });

    it.each([
      ['hangs past the timeout', CAPTCHA.hang],
      ['answers HTML', CAPTCHA.html],
      ['answers 500', CAPTCHA.error],
    ])('fails closed with 503 server.unavailable when the provider %s', async (_name, answer) => {
      expectError(await post('/guarded/captcha', { text: 'hello', captcha_response: answer }), 'server.unavailable');
    });
  });

  describe('disclaimers', () => {
    it('lets a request that accepts every disclaimer through', async () => {
      const res = await post('/guarded/terms', { text: 'ok', accept_disclaimers: ['privacy-v1', 'tos-v2'] });
      expect(res.text).toBe('{"status":"success","text":"ok"}');
    });

    it.each([
      ['no field', {}, ['tos-v2', 'privacy-v1']],
      ['one missing', { accept_disclaimers: ['tos-v2'] }, ['privacy-v1']],
      ['a string instead of a list', { accept_disclaimers: 'tos-v2' }, ['tos-v2', 'privacy-v1']],
    ])('answers auth.disclaimer.invalid for %s, naming what is missing', async (_name, extra, missing) => {
      const res = await post('/guarded/terms', { text: 'ok', ...extra });
      expectError(res, 'auth.disclaimer.invalid', {
        messages: { accept_disclaimers: missing.map(id => `Disclaimer "${id}" must be accepted.`) },
      });
    });
  });

  describe('order of checks: API key, then authorization, then captcha, then disclaimers', () => {
    it('reports the API key first', async () => {
      expectError(await post('/guarded/all', { text: 'x' }), 'auth.apikey.missing');
    });
    it('then the authorization', async () => {
      expectError(await post('/guarded/all', { text: 'x' }, { 'x-api-key': SECRETS.apiKey }), 'auth.header.missing');
    });
    it('then the captcha', async () => {
      const auth = `Bearer ${remember(await token())}`;
      expectError(
        await post('/guarded/all', { text: 'x' }, { 'x-api-key': SECRETS.apiKey, authorization: auth }),
        'auth.captcha.missing',
      );
    });
    it('then the disclaimers', async () => {
      const auth = `Bearer ${remember(await token())}`;
      const res = await post(
        '/guarded/all',
        { text: 'x', captcha_response: CAPTCHA.pass },
        { 'x-api-key': SECRETS.apiKey, authorization: auth },
      );
      expectError(res, 'auth.disclaimer.invalid', {
        messages: { accept_disclaimers: ['Disclaimer "tos-v2" must be accepted.'] },
      });
    });
    it('and passes when all are satisfied', async () => {
      const auth = `Bearer ${remember(await token())}`;
      const res = await post(
        '/guarded/all',
        { text: 'x', captcha_response: CAPTCHA.pass, accept_disclaimers: ['tos-v2'] },
        { 'x-api-key': SECRETS.apiKey, authorization: auth },
      );
      expect(res.text).toBe('{"status":"success","client":"app-1","principal":"user-1","text":"x"}');
    });
    it('runs a controller-level and a route-level decorator as one check', async () => {
      expectError(await call('/guarded-class/auth'), 'auth.apikey.missing');
      const res = await call('/guarded-class/auth', {
        headers: { 'x-api-key': SECRETS.apiKey, authorization: `Bearer ${remember(await token())}` },
      });
      expect(res.text).toBe('{"status":"success","client":"app-1","principal":"user-1"}');
    });
  });

  describe('secrets', () => {
    it('logs every failure with its error id and code', () => {
      const failures = running.logs.apiErrorLines();
      expect(failures.length).toBeGreaterThan(40);
      for (const line of failures) {
        expect(entryOf(line).msg).toMatch(/^\d{3} [a-z.]+ error_id=[0-9a-f-]{36} (GET|POST) \/[\w/-]*$/);
      }
    });

    it('never puts a secret it was sent or configured with in a log line or a response', () => {
      const logs = running.logs.text();
      const answered = responses.join('\n');
      for (const secret of new Set(sentSecrets.filter(secret => secret.length >= 8))) {
        expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
        expect({ secret, inResponses: answered.includes(secret) }).toEqual({ secret, inResponses: false });
      }
    });
  });
});
