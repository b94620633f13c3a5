import { createHash, createHmac } from 'node:crypto';

// The request-signing scheme, client side: what a partner computes to send
// `Authorization: Signature keyId="…",created=…,nonce="…",signature="…"`. `HmacSignatureVerifier` checks
// signatures with these same functions. Node only (node:crypto): a signing secret belongs on a server,
// never in a browser.

/** What a request signature covers. */
export interface SignedRequest {
  /** Upper-case method. */
  method: string;
  /** The path as sent, percent-encoding untouched. */
  path: string;
  /** The query string as sent, without `?` (empty when none). */
  query: string;
  /** The body's bytes (empty when none). */
  body: Buffer;
}

/** The parameters of a signature value: `keyId="…",created=…,nonce="…",signature="…"`. */
export interface SignatureParameters {
  keyId: string;
  created: number;
  nonce: string;
  signature: string;
}

const PARAMETER = /^\s*([a-zA-Z]+)=(?:"([^"]*)"|([0-9]+))\s*$/;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/; // 32 bytes

/**
 * Parses a signature value. Returns `undefined` when it is not of the documented form (each
 * parameter once, nothing else).
 */
export function parseSignature(value: string): SignatureParameters | undefined {
  const found = new Map<string, string>();
  for (const part of value.split(',')) {
    const match = PARAMETER.exec(part);
    if (match === null || found.has(match[1] as string)) {
      return undefined;
    }
    found.set(match[1] as string, (match[2] ?? match[3]) as string);
  }
  const keyId = found.get('keyId');
  const created = Number(found.get('created'));
  const nonce = found.get('nonce');
  const signature = found.get('signature');
  if (
    found.size !== 4 ||
    !keyId ||
    !Number.isSafeInteger(created) ||
    !nonce ||
    !NONCE.test(nonce) ||
    !signature ||
    !BASE64.test(signature)
  ) {
    return undefined;
  }
  return { keyId, created, nonce, signature };
}

/** The text a signature is computed over: one line per component, in this order. */
export function signatureBase(request: SignedRequest, parameters: Omit<SignatureParameters, 'signature'>): string {
  const digest = createHash('sha256').update(request.body).digest('base64');
  return [
    `"@method": ${request.method.toUpperCase()}`,
    `"@path": ${request.path}`,
    `"@query": ?${request.query}`,
    `"content-digest": sha-256=:${digest}:`,
    `"created": ${parameters.created}`,
    `"nonce": ${parameters.nonce}`,
    `"keyid": ${parameters.keyId}`,
  ].join('\n');
}

/**
 * Computes the signature of a request with one secret (what a client does): HMAC-SHA256 of
 * `signatureBase()`, base64.
 *
 * @example
 * const created = Math.floor(Date.now() / 1000);
 * const nonce = randomBytes(16).toString('base64url');
 * const signature = signRequest({ method: 'POST', path: '/orders', query: '', body }, { keyId, created, nonce }, secret);
 * headers.authorization = `Signature keyId="${keyId}",created=${created},nonce="${nonce}",signature="${signature}"`;
 */
export function signRequest(
  request: SignedRequest,
  parameters: Omit<SignatureParameters, 'signature'>,
  secret: string,
): string {
  return createHmac('sha256', secret).update(signatureBase(request, parameters)).digest('base64');
}
