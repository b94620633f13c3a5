import { Controller, Post } from '@nestjs/common';
import {
  ApiErrorsModule,
  AuthPrincipal,
  RequireAuthorization,
  type Principal,
  type SignatureVerifier,
} from 'nestjs-api-errors';
import { SECRETS, guardOptions } from '../fixtures/guards.fixture.js';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';
import { signatureHeader } from '../support/signing.js';
import { nowSeconds as now } from '../support/tokens.js';

@Controller('signed')
class SignedController {
  @Post()
  @RequireAuthorization({ schemes: ['signature'] })
  signed(@AuthPrincipal() principal: Principal): { principal: string } {
    return { principal: principal.id };
  }
}

/** A made-up key id and an all-zero signature: what anyone can send without knowing a secret. */
const forged = (): string =>
  `Signature keyId="made-up-key",created=${now()},nonce="0000000000000000",signature="${'A'.repeat(43)}="`;

const signedFor = (body: string): string =>
  signatureHeader({ keyId: 'partner-1', secret: SECRETS.signingSecretNew, path: '/signed', body });

const BOUNDARY = '----signed-boundary-7d1c';
const BODIES: [string, string, string][] = [
  ['text/plain', 'text/plain; charset=utf-8', 'pay 100 to partner'],
  [
    'multipart/form-data',
    `multipart/form-data; boundary=${BOUNDARY}`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${BOUNDARY}--\r\n`,
  ],
];

describe.each(ADAPTERS)('Signature requests whose body has no raw bytes, on %s', adapter => {
  let running: RunningApp;
  let spied: RunningApp;
  /** A verifier that only counts its calls: any call is crypto the guard should not have started. */
  const calls: string[] = [];
  const verify: SignatureVerifier['verify'] = async value => {
    calls.push(value);
    return { id: 'never' };
  };

  beforeAll(async () => {
    running = await startApp(
      adapter,
      { imports: [ApiErrorsModule.forRoot(guardOptions('http://127.0.0.1:9'))], controllers: [SignedController] },
      undefined,
      {
        rawBody: true,
      },
    );
    spied = await startApp(
      adapter,
      { imports: [ApiErrorsModule.forRoot({ signature: { verifier: { verify } } })], controllers: [SignedController] },
      undefined,
      {
        rawBody: true,
      },
    );
  });

  afterAll(async () => {
    await running.close();
    await spied.close();
  });

  beforeEach(() => {
    running.logs.clear();
    spied.logs.clear();
    calls.length = 0;
  });

  const errorLines = (app: RunningApp) =>
    app.logs.lines.filter(line => line.level === 'error' || line.level === 'fatal');

  it.each(BODIES)(
    'answers 415 request.mediatype.unsupported for a forged %s request, with no error in the log',
    async (_name, contentType, body) => {
      const res = await send(running.baseUrl, '/signed', {
        method: 'POST',
        body,
        headers: { 'content-type': contentType, authorization: forged() },
      });
      expectError(res, 'request.mediatype.unsupported');
      expect(errorLines(running)).toEqual([]);
      expect(running.logs.text()).not.toContain('rawBody');
    },
  );

  it.each(BODIES)('answers a %s body before the verifier is asked (no crypto)', async (_name, contentType, body) => {
    const res = await send(spied.baseUrl, '/signed', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, authorization: forged() },
    });
    expectError(res, 'request.mediatype.unsupported');
    expect(calls).toEqual([]);
    expect(errorLines(spied)).toEqual([]);
  });

  it('answers a correctly signed text/plain request alike: the server cannot check what it does not keep', async () => {
    const body = 'pay 100 to partner';
    const res = await send(running.baseUrl, '/signed', {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain', authorization: signedFor(body) },
    });
    expectError(res, 'request.mediatype.unsupported');
  });

  it('still verifies a signed JSON request (its raw body is kept)', async () => {
    const body = '{"amount":100}';
    const res = await send(running.baseUrl, '/signed', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: signedFor(body) },
    });
    expect(res.text).toBe('{"status":"success","principal":"partner-1"}');
    const bad = await send(running.baseUrl, '/signed', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: forged() },
    });
    expectError(bad, 'auth.signature.invalid');
    expect(errorLines(running)).toEqual([]);
  });
});
