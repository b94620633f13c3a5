import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HmacSignatureVerifier, MemoryStore } from 'nestjs-api-errors';
import { parseSignature } from '../../lib/client/index.js';
import { signatureHeader } from '../support/signing.js';
import { nowSeconds } from '../support/tokens.js';

/** The client example of docs/guards/authorization.md, taken from the page itself, so that the documented client works. */
function readmeClient(): (options: Record<string, string>) => string {
  const readme = readFileSync(new URL('../../docs/guards/authorization.md', import.meta.url), 'utf8');
  const block = /```js\n([\s\S]*?function signatureHeader[\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) {
    throw new Error('docs/guards/authorization.md has no signatureHeader example');
  }
  const body = block.replace(/^import .*$/m, '');
  return new Function('createHash', 'createHmac', 'randomBytes', `${body}; return signatureHeader;`)(
    createHash,
    createHmac,
    randomBytes,
  );
}

describe('the signature client of docs/guards/authorization.md', () => {
  const store = new MemoryStore();
  afterAll(() => store.onModuleDestroy());

  it('builds a header the verifier accepts, and one that fails once the body changes', async () => {
    const secret = 'readme-secret-0123456789abcdef-0123456789';
    const verifier = new HmacSignatureVerifier(
      { keys: { 'partner-1': { secrets: [secret], principal: { id: 'partner-1' } } } },
      store,
    );
    const header = readmeClient()({
      method: 'POST',
      path: '/v1/payments',
      query: 'currency=EUR',
      body: '{"amount":100}',
      keyId: 'partner-1',
      secret,
    });
    // keyId, created (now), a 16-byte base64url nonce and a base64 HMAC-SHA256, in this order, and nothing else
    const parts =
      /^Signature keyId="partner-1",created=(\d+),nonce="([\w-]{22})",signature="([A-Za-z0-9+/]{43}=)"$/.exec(header);
    if (parts === null) {
      throw new Error(`unexpected header: ${header}`);
    }
    const [, created, nonce, signature] = parts as unknown as [string, string, string, string];
    expect(Math.abs(Number(created) - nowSeconds())).toBeLessThanOrEqual(5);
    const value = header.replace(/^Signature /, '');
    expect(parseSignature(value)).toEqual({ keyId: 'partner-1', created: Number(created), nonce, signature });
    // the very header this package's signRequest makes for the same request, created and nonce
    expect(header).toBe(
      signatureHeader({
        keyId: 'partner-1',
        secret,
        method: 'POST',
        path: '/v1/payments',
        query: 'currency=EUR',
        body: '{"amount":100}',
        created: Number(created),
        nonce,
      }),
    );

    const request = {
      method: 'POST',
      path: '/v1/payments',
      query: 'currency=EUR',
      body: Buffer.from('{"amount":100}'),
    };
    await expect(verifier.verify(value, request)).resolves.toMatchObject({ id: 'partner-1', keyId: 'partner-1' });
    await expect(verifier.verify(value, { ...request, body: Buffer.from('{"amount":101}') })).rejects.toMatchObject({
      code: 'auth.signature.invalid',
    });
  });
});
