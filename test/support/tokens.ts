import { SignJWT, base64url, type CryptoKey } from 'jose';

export interface JwtOptions {
  /** `alg` of the protected header (default HS256). */
  alg?: string;
  /** `kid` of the protected header. */
  kid?: string;
  /** Claims of the payload besides the registered ones below. */
  claims?: Record<string, unknown>;
  sub?: string;
  iss?: string;
  aud?: string;
  /** Expiry: unix seconds, a span from now (`'10m'`, `'1h'`) or `null` for a token without `exp`. Default `'10m'`. */
  exp?: number | string | null;
  /** Not before: unix seconds or a span from now. */
  nbf?: number | string;
  /** Whether to set `iat` to now. */
  iat?: boolean;
}

/** Unix time in seconds, as JWTs and signatures count it. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * The one JWT minter of the suite: signs with a shared secret (a string, HMAC) or a private key. Every
 * suite's token is this with its own options.
 */
export function mintJwt(key: string | Uint8Array | CryptoKey, options: JwtOptions = {}): Promise<string> {
  const jwt = new SignJWT({ ...options.claims }).setProtectedHeader({
    alg: options.alg ?? 'HS256',
    ...(options.kid === undefined ? {} : { kid: options.kid }),
  });
  if (options.sub !== undefined) {
    jwt.setSubject(options.sub);
  }
  if (options.iss !== undefined) {
    jwt.setIssuer(options.iss);
  }
  if (options.aud !== undefined) {
    jwt.setAudience(options.aud);
  }
  if (options.iat === true) {
    jwt.setIssuedAt();
  }
  if (options.nbf !== undefined) {
    jwt.setNotBefore(options.nbf);
  }
  const exp = options.exp === undefined ? '10m' : options.exp;
  if (exp !== null) {
    jwt.setExpirationTime(exp);
  }
  return jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}

/** A token with `alg: none` and no signature, as an attacker forges one. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
