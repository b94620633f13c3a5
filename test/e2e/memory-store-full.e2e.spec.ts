import { randomBytes } from 'node:crypto';
import { ApiErrorsModule, MemoryStore, createValidationPipe } from 'nestjs-api-errors';
import { GuardedController, SECRETS, guardOptions } from '../fixtures/guards.fixture.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';
import { signatureHeader as sign } from '../support/signing.js';

const path = '/guarded/signature-only';
const body = '{"amount":100}';

/** A signature header for `path` with `nonce`, as a partner's client makes it. */
function signatureHeader(nonce: string): string {
  return sign({ keyId: 'partner-1', secret: SECRETS.signingSecretNew, path, body, nonce });
}

describe.each(ADAPTERS)('a guard over a full MemoryStore, on %s', adapter => {
  let running: RunningApp;
  let store: MemoryStore;

  const post = (authorization: string): Promise<RawResponse> =>
    send(running.baseUrl, path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization },
    });

  beforeAll(async () => {
    store = new MemoryStore({ maxEntries: 2 });
    running = await startApp(
      adapter,
      // The captcha provider is never called by the signature route.
      {
        imports: [ApiErrorsModule.forRoot({ ...guardOptions('http://127.0.0.1:9'), store })],
        controllers: [GuardedController],
      },
      app => app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true })),
      { rawBody: true },
    );
  });
  afterAll(async () => {
    await running.close();
    store.onModuleDestroy();
  });

  it('answers 503 server.unavailable for a nonce it cannot remember, and accepts that nonce once, only once there is room', async () => {
    await store.set('other:1', '1', 3600);
    await store.set('other:2', '1', 3600);
    const header = signatureHeader(randomBytes(16).toString('base64url'));

    const full = await post(header);
    expect(full.status).toBe(503);
    expect(full.json.error_code).toBe('server.unavailable');
    expect((await post(header)).json.error_code).toBe('server.unavailable');

    await store.delete('other:1');
    expect((await post(header)).status).toBe(201);
    expect((await post(header)).json.error_code).toBe('auth.signature.invalid'); // a replay, remembered
    expect((await post(signatureHeader(randomBytes(16).toString('base64url')))).json.error_code).toBe(
      'server.unavailable',
    );
  });
});
