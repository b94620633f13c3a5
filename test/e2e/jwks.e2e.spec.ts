import { Controller, Get } from '@nestjs/common';
import { exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import {
  ApiErrorsModule,
  AuthPrincipal,
  RequireAuthorization,
  type ApiErrorsModuleOptions,
  type Principal,
} from 'nestjs-api-errors';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';
import { deadPort, json, startStub, type StubServer } from '../support/stub-server.js';
import { mintJwt } from '../support/tokens.js';

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

/** A token of user-7 from the login service, signed with `key` under `kid`. */
function sign(key: CryptoKey | Uint8Array, alg = 'RS256', kid = 'key-1', exp = '10m'): Promise<string> {
  return mintJwt(key, { alg, kid, sub: 'user-7', iss: ISSUER, aud: AUDIENCE, exp });
}

/** A key pair whose public half is published in a JWKS under `kid`. */
async function publishedKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> }> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

describe.each(ADAPTERS)('Bearer keys from a JWKS or a PEM on %s', adapter => {
  let stub: StubServer;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let publicPem: string;
  /** What /jwks-rotating publishes; each test sets it. */
  let rotating: Record<string, unknown>[] = [];
  const apps: RunningApp[] = [];

  const start = async (bearer: ApiErrorsModuleOptions['bearer']): Promise<RunningApp> => {
    const running = await startApp(adapter, {
      imports: [ApiErrorsModule.forRoot({ bearer })],
      controllers: [MeController],
    });
    apps.push(running);
    return running;
  };
  const jwks = (url: string) => ({
    jwksUrl: url,
    algorithms: ['RS256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksTimeoutMs: 300,
  });
  const me = (running: RunningApp, jwt: string) =>
    send(running.baseUrl, '/me', { headers: { authorization: `Bearer ${jwt}` } });

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
        case '/jwks-rotating':
          return json(response, 200, { keys: rotating });
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

  it.each(['/jwks-hang', '/jwks-html', '/jwks-500'])(
    'answers 503 server.unavailable, never invalid, when the JWKS at %s fails',
    async path => {
      const running = await start(jwks(`${stub.url}${path}`));
      const started = Date.now();
      expectError(await me(running, await sign(privateKey)), 'server.unavailable');
      expect(Date.now() - started).toBeLessThan(3000);
    },
  );

  it('answers 503 when nothing listens at the JWKS address', async () => {
    const running = await start(jwks(`http://127.0.0.1:${await deadPort()}/jwks`));
    expectError(await me(running, await sign(privateKey)), 'server.unavailable');
  });

  describe('a remembered token whose key leaves the JWKS', () => {
    let clock: number;
    let keyA: Awaited<ReturnType<typeof publishedKey>>;
    let keyB: Awaited<ReturnType<typeof publishedKey>>;
    const fetches = () => stub.received.filter(request => request.path === '/jwks-rotating').length;
    const rotatingApp = () => start({ ...jwks(`${stub.url}/jwks-rotating`), now: () => clock });

    beforeEach(async () => {
      clock = Date.now();
      [keyA, keyB] = await Promise.all([publishedKey('rot-a'), publishedKey('rot-b')]);
      rotating = [keyA.jwk, keyB.jwk];
    });

    it('is refused once the remembered verification is 10 minutes old and the refetched set lacks its kid; a token whose kid stays is accepted', async () => {
      const running = await rotatingApp();
      const [tokenA, tokenB] = await Promise.all([
        sign(keyA.privateKey, 'RS256', 'rot-a', '1h'),
        sign(keyB.privateKey, 'RS256', 'rot-b', '1h'),
      ]);
      expect((await me(running, tokenA)).status).toBe(200);
      expect((await me(running, tokenB)).status).toBe(200);
      const fetched = fetches();
      rotating = [keyB.jwk];
      clock += 599_000;
      expect((await me(running, tokenA)).status).toBe(200); // still within the bounded age
      clock += 2_000;
      expectError(await me(running, tokenA), 'auth.token.invalid');
      expect((await me(running, tokenB)).status).toBe(200);
      expect(fetches()).toBe(fetched + 1);
    });

    it('is refused as soon as a refetch of the set drops its kid, though remembered only a moment before', async () => {
      const running = await rotatingApp();
      const tokenB = await sign(keyB.privateKey, 'RS256', 'rot-b', '1h');
      expect((await me(running, tokenB)).status).toBe(200); // the set is fetched now
      clock += 500_000;
      const tokenA = await sign(keyA.privateKey, 'RS256', 'rot-a', '1h');
      expect((await me(running, tokenA)).status).toBe(200); // remembered until clock + 600 s
      rotating = [keyB.jwk];
      clock += 101_000; // tokenB's verification is 601 s old: checking it again fetches the set again
      expect((await me(running, tokenB)).status).toBe(200);
      expectError(await me(running, tokenA), 'auth.token.invalid');
    });
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
