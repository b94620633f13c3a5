import { Controller, Get } from '@nestjs/common';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { API_ERROR_CATALOGUE, ApiErrorsModule, AuthPrincipal, RequireAuthorization, type ApiErrorCode, type ApiErrorsModuleOptions, type Principal } from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { expectedErrorText, send, type RawResponse } from '../support/http-client.js';
import { deadPort, json, startStub, type StubServer } from '../support/stub-server.js';

const ISSUER = 'https://login.test';
const AUDIENCE = 'api';

@Controller('me')
class MeController {
  @Get()
  @RequireAuthorization({ schemes: ['bearer'] })
  me(@AuthPrincipal() principal: Principal): { id: string } {
    return { id: principal.id };
  }
}

function sign(key: CryptoKey | Uint8Array, alg = 'RS256', kid = 'key-1'): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg, kid })
    .setSubject('user-7')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(key);
}

function expectError(res: RawResponse, code: ApiErrorCode): void {
  expect(res.status).toBe(API_ERROR_CATALOGUE[code].status);
  expect(res.text).toBe(expectedErrorText(res, code, [API_ERROR_CATALOGUE[code].message]));
}

describe.each(ADAPTERS)('Bearer keys from a JWKS or a PEM on %s', adapter => {
  let stub: StubServer;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let publicPem: string;
  const apps: RunningApp[] = [];

  const start = async (bearer: ApiErrorsModuleOptions['bearer']): Promise<RunningApp> => {
    const running = await startApp(adapter, { imports: [ApiErrorsModule.forRoot({ bearer })], controllers: [MeController] });
    apps.push(running);
    return running;
  };
  const jwks = (url: string) => ({ jwksUrl: url, algorithms: ['RS256'], issuer: ISSUER, audience: AUDIENCE, jwksTimeoutMs: 300 });
  const me = (running: RunningApp, jwt: string) => send(running.baseUrl, '/me', { headers: { authorization: `Bearer ${jwt}` } });

  beforeAll(async () => {
    ({ privateKey, publicKey: publicPem } = await generateKeyPair('RS256').then(async pair => ({
      privateKey: pair.privateKey,
      publicKey: await exportSPKI(pair.publicKey),
    })));
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(await importPublic(publicPem))), kid: 'key-1', alg: 'RS256', use: 'sig' };
    stub = await startStub((request, _body, response) => {
      switch (request.url) {
        case '/jwks':
          return json(response, 200, { keys: [publicJwk] });
        case '/jwks-html':
          response.writeHead(200, { 'content-type': 'text/html' });
          return response.end('<html>login is down</html>');
        case '/jwks-500':
          return json(response, 500, { error: 'down' });
        default:
          return; // /jwks-hang: never answers
      }
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map(running => running.close()));
    await stub.close();
  });

  it('accepts a token signed with a key of the JWKS', async () => {
    const running = await start(jwks(`${stub.url}/jwks`));
    const res = await me(running, await sign(privateKey));
    expect(res.text).toBe('{"status":"success","id":"user-7"}');
    expectError(await me(running, await sign(otherKey)), 'auth.token.invalid');
    expectError(await me(running, await sign(otherKey, 'RS256', 'unknown-kid')), 'auth.token.invalid');
  });

  it.each(['/jwks-hang', '/jwks-html', '/jwks-500'])('answers 503 server.unavailable, never invalid, when the JWKS at %s fails', async path => {
    const running = await start(jwks(`${stub.url}${path}`));
    const started = Date.now();
    expectError(await me(running, await sign(privateKey)), 'server.unavailable');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers 503 when nothing listens at the JWKS address', async () => {
    const running = await start(jwks(`http://127.0.0.1:${await deadPort()}/jwks`));
    expectError(await me(running, await sign(privateKey)), 'server.unavailable');
  });

  it('verifies with a PEM public key and refuses the HS256-with-the-public-key confusion attack', async () => {
    const running = await start({ publicKey: publicPem, algorithms: ['RS256'], issuer: ISSUER, audience: AUDIENCE });
    expect((await me(running, await sign(privateKey))).status).toBe(200);
    expectError(await me(running, await sign(new TextEncoder().encode(publicPem), 'HS256')), 'auth.token.invalid');
  });
});

async function importPublic(pem: string): Promise<CryptoKey> {
  const { importSPKI } = await import('jose');
  return importSPKI(pem, 'RS256', { extractable: true });
}
