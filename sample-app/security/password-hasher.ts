import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
/** scrypt work factors (N = 2^14, r = 8, p = 1: OWASP's minimum for scrypt). */
const PARAMETERS = { N: 16384, r: 8, p: 1 } as const;

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(secret.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes secrets (passwords, control answers, backup codes) with scrypt, a memory-hard KDF built into
 * Node: `scrypt$N$r$p$salt$hash`, base64url. Comparison is constant-time.
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, PARAMETERS);
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of nothing, checked when there is no stored hash so that a missing user takes as long. */
let decoy: Promise<string> | undefined;

/** `true` when `secret` matches `stored` (a `hashSecret` value); `null` checks against a decoy. */
export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  decoy ??= hashSecret(randomBytes(16).toString('hex'));
  const [scheme, n, r, p, salt, hash] = (stored ?? (await decoy)).split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && stored !== null;
}
