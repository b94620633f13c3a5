import { exportJWK, generateKeyPair } from 'jose';
import {
  ApiErrorsConfigurationError,
  JwtTokenVerifier,
  TokenExpiredException,
  TokenInvalidException,
} from 'nestjs-api-errors';
import { json, startStub } from '../support/stub-server.js';
import { mintJwt } from '../support/tokens.js';

const secret = 'unit-secret-0123456789abcdef-0123456789';

const sign = (expSeconds: number, sub = 'user-1'): Promise<string> => mintJwt(secret, { sub, exp: expSeconds });

describe('JwtTokenVerifier', () => {
  it('refuses a configuration without exactly one key source, or without algorithms', () => {
    expect(() => new JwtTokenVerifier({ algorithms: ['HS256'] })).toThrow(ApiErrorsConfigurationError);
    expect(() => new JwtTokenVerifier({ secret, jwksUrl: 'http://127.0.0.1/jwks', algorithms: ['HS256'] })).toThrow(
      /exactly one of secret, publicKey and jwksUrl \(it has secret and jwksUrl\)/,
    );
    expect(() => new JwtTokenVerifier({ secret: 'unit-secret-0123456789abcdef', algorithms: ['HS256'] })).toThrow(
      /bearer.secret is a string of 28 bytes, shorter than 32 bytes/,
    );
    expect(() => new JwtTokenVerifier({ secret, algorithms: ['none'] })).toThrow(
      /bearer.algorithms is not a list of algorithms/,
    );
  });

  it('remembers a verified token, but never past its expiry', async () => {
    let clock = Date.now();
    const verifier = new JwtTokenVerifier({
      secret,
      algorithms: ['HS256'],
      clockToleranceSeconds: 0,
      now: () => clock,
    });
    const token = await sign(Math.floor(clock / 1000) + 60);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'user-1' });
    clock += 30_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'user-1' });
    clock += 31_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenExpiredException);
  });

  it('remembers a verified token at most cacheMaxAgeSeconds (600 by default), even when exp is later', async () => {
    let clock = Date.now();
    const exp = Math.floor(clock / 1000) + 3600;
    const byDefault = new JwtTokenVerifier({ secret, algorithms: ['HS256'], now: () => clock });
    const short = new JwtTokenVerifier({ secret, algorithms: ['HS256'], cacheMaxAgeSeconds: 60, now: () => clock });
    const token = await sign(exp);
    await byDefault.verify(token);
    await short.verify(token);
    clock += 59_000;
    expect(short.verifyCached(token)).toMatchObject({ id: 'user-1' });
    clock += 2_000;
    expect(short.verifyCached(token)).toBeUndefined();
    clock += 538_000; // 599 s
    expect(byDefault.verifyCached(token)).toMatchObject({ id: 'user-1' });
    clock += 2_000;
    expect(byDefault.verifyCached(token)).toBeUndefined();
    await expect(byDefault.verify(token)).resolves.toMatchObject({ id: 'user-1' }); // verified again, remembered again
    expect(byDefault.verifyCached(token)).toMatchObject({ id: 'user-1' });
  });

  it('remembers nothing with cacheMaxAgeSeconds: 0, and refuses a negative or non-numeric age', async () => {
    const verifier = new JwtTokenVerifier({ secret, algorithms: ['HS256'], cacheMaxAgeSeconds: 0 });
    const token = await sign(Math.floor(Date.now() / 1000) + 60);
    await verifier.verify(token);
    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(() => new JwtTokenVerifier({ secret, algorithms: ['HS256'], cacheMaxAgeSeconds: -1 })).toThrow(
      /cacheMaxAgeSeconds/,
    );
    expect(() => new JwtTokenVerifier({ secret, algorithms: ['HS256'], cacheMaxAgeSeconds: Number.NaN })).toThrow(
      ApiErrorsConfigurationError,
    );
  });

  it('with a JWKS, never remembers a token past 10 minutes, whatever cacheMaxAgeSeconds says', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const stub = await startStub((_request, _body, response) => json(response, 200, { keys: [jwk] }));
    try {
      let clock = Date.now();
      const verifier = new JwtTokenVerifier({
        jwksUrl: `${stub.url}/jwks`,
        algorithms: ['RS256'],
        cacheMaxAgeSeconds: 3600,
        now: () => clock,
      });
      const token = await mintJwt(privateKey, { alg: 'RS256', kid: 'k1', sub: 'user-1', exp: '2h' });
      await verifier.verify(token);
      clock += 599_000;
      expect(verifier.verifyCached(token)).toMatchObject({ id: 'user-1' });
      clock += 2_000;
      expect(verifier.verifyCached(token)).toBeUndefined();
    } finally {
      await stub.close();
    }
  });

  it('does not remember a token that failed', async () => {
    const verifier = new JwtTokenVerifier({ secret, algorithms: ['HS256'] });
    const token = await sign(Math.floor(Date.now() / 1000) + 60);
    const forged = `${token.slice(0, -3)}AAA`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(TokenInvalidException);
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(TokenInvalidException);
  });

  it('keeps at most cacheSize tokens, and verifies evicted ones again', async () => {
    const verifier = new JwtTokenVerifier({ secret, algorithms: ['HS256'], cacheSize: 2 });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const tokens = await Promise.all(['a', 'b', 'c'].map(sub => sign(exp, sub)));
    for (const token of tokens) {
      await verifier.verify(token);
    }
    await expect(verifier.verify(tokens[0] as string)).resolves.toMatchObject({ id: 'a' });
  });

  it('refuses a token without sub when no principal builder is given', async () => {
    const verifier = new JwtTokenVerifier({ secret, algorithms: ['HS256'] });
    const token = await mintJwt(secret, { exp: '1m' });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenInvalidException);
  });
});
