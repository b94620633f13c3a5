import { randomBytes } from 'node:crypto';
import { signRequest } from 'nestjs-api-errors';

export interface SigningOptions {
  keyId: string;
  secret: string;
  path: string;
  /** Default POST. */
  method?: string;
  /** The query string without `?` (default none). */
  query?: string;
  /** The raw body as sent (default empty). */
  body?: string | Buffer;
  /** Unix seconds (default now). */
  created?: number;
  /** Default 16 random bytes, base64url. */
  nonce?: string;
}

/**
 * The one request signer of the suite: the `Authorization` value a partner's client sends, signing
 * method, path, query, body digest, created, nonce and key id with `signRequest`.
 */
export function signatureHeader(options: SigningOptions): string {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const value = signRequest(
    {
      method: options.method ?? 'POST',
      path: options.path,
      query: options.query ?? '',
      body: Buffer.from(options.body ?? ''),
    },
    { keyId: options.keyId, created, nonce },
    options.secret,
  );
  return `Signature keyId="${options.keyId}",created=${created},nonce="${nonce}",signature="${value}"`;
}

/** The signature value inside a header made by `signatureHeader`. */
export function signatureValue(header: string): string {
  const value = /signature="([^"]*)"/.exec(header)?.[1];
  if (value === undefined) {
    throw new Error(`no signature in ${header}`);
  }
  return value;
}
