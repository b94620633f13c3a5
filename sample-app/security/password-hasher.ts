import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { DEFAULT_SCRYPT, type ScryptParameters } from '../config.js';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** scrypt needs 128 · N · r bytes; Node refuses more than `maxmem` (32 MiB by default). */
const memoryFor = ({ N, r }: ScryptParameters): number => 128 * N * r + 16 * 1024 * 1024;

/** Stored parameters are trusted only within these bounds (a tampered row must not ask for 64 GiB). */
function plausible({ N, r, p }: ScryptParameters): boolean {
  const isInt = (value: number, min: number, max: number): boolean =>
    Number.isInteger(value) && value >= min && value <= max;
  return (
    isInt(N, 2, 2 ** 20) &&
    (N & (N - 1)) === 0 &&
    isInt(r, 1, 32) &&
    isInt(p, 1, 16) &&
    128 * N * r <= 512 * 1024 * 1024
  );
}

function scrypt(secret: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(
      secret.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...parameters, maxmem: memoryFor(parameters) },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

interface ParsedHash {
  parameters: ScryptParameters;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined || rest.length > 0) {
    return null;
  }
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  const parsed = { parameters, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
  return plausible(parameters) && parsed.salt.length > 0 && parsed.hash.length === KEY_LENGTH ? parsed : null;
}

/**
 * Hashes secrets (passwords, control answers, backup codes) with scrypt, the memory-hard KDF built into
 * Node, as `scrypt$N$r$p$salt$hash` (base64url). New hashes use the configured work factors (default
 * N = 2^17, r = 8, p = 1); a stored hash is verified with the factors stored beside it, so raising them
 * never locks anyone out, and `needsRehash` says when a hash should be replaced at the next sign-in.
 * Comparison is constant-time.
 */
export class PasswordHasher {
  readonly parameters: ScryptParameters;
  /** A hash of nothing, checked when there is no stored hash, so that a missing user takes as long. */
  #decoy: Promise<string> | undefined;

  constructor(parameters: ScryptParameters = DEFAULT_SCRYPT) {
    if (!plausible(parameters)) {
      throw new Error(`scrypt parameters out of range: ${JSON.stringify(parameters)}`);
    }
    this.parameters = { ...parameters };
  }

  async hash(secret: string): Promise<string> {
    const { N, r, p } = this.parameters;
    const salt = randomBytes(SALT_LENGTH);
    const key = await scrypt(secret, salt, this.parameters);
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** `true` when `secret` matches `stored` (a `hash()` value); `null` checks against a decoy and is `false`. */
  async verify(secret: string, stored: string | null): Promise<boolean> {
    this.#decoy ??= this.hash(randomBytes(16).toString('hex'));
    const parsed = parse(stored ?? (await this.#decoy));
    if (parsed === null) {
      return false;
    }
    const actual = await scrypt(secret, parsed.salt, parsed.parameters);
    return timingSafeEqual(actual, parsed.hash) && stored !== null;
  }

  /** `true` when `stored` was made with other work factors than the configured ones (or is not a hash). */
  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    const { N, r, p } = this.parameters;
    return parsed === null || parsed.parameters.N !== N || parsed.parameters.r !== r || parsed.parameters.p !== p;
  }
}
