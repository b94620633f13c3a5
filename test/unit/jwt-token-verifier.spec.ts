import { SignJWT } from 'jose';
import { ApiErrorsConfigurationError, JwtTokenVerifier, TokenExpiredException, TokenInvalidException } from 'nestjs-api-errors';

const secret = 'unit-secret-0123456789abcdef';

function sign(expSeconds: number, sub = 'user-1'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(expSeconds).sign(new TextEncoder().encode(secret));
}

describe('JwtTokenVerifier', () => {
  it('refuses a configuration without exactly one key source, or without algorithms', () => {
    expect(() => new JwtTokenVerifier({ algorithms: ['HS256'] })).toThrow(ApiErrorsConfigurationError);
    expect(() => new JwtTokenVerifier({ secret, jwksUrl: 'http://127.0.0.1/jwks', algorithms: ['HS256'] })).toThrow(/2 key sources/);
    expect(() => new JwtTokenVerifier({ secret, algorithms: ['none'] })).toThrow(/bearer.algorithms is empty/);
  });

  it('remembers a verified token, but never past its expiry', async () => {
    let clock = Date.now();
    const verifier = new JwtTokenVerifier({ secret, algorithms: ['HS256'], clockToleranceSeconds: 0, now: () => clock });
    const token = await sign(Math.floor(clock / 1000) + 60);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'user-1' });
    clock += 30_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'user-1' });
    clock += 31_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenExpiredException);
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
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenInvalidException);
  });
});
