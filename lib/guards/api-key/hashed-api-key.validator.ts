import * as crypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import type { ClientApplication } from '../principal.interface.js';
import type { ApiKeyValidator } from './api-key-validator.interface.js';

/** One accepted key: its SHA-256 (hex), or the key itself, hashed at start-up and then forgotten. */
export type ApiKeyEntry = { client: ClientApplication } & (
  { sha256: string; key?: never } | { key: string; sha256?: never }
);

/** Keys longer than this are refused before hashing: no real key is, and hashing them is wasted work. */
const MAX_KEY_LENGTH = 4096;

/**
 * The default validator: keys configured as SHA-256 hashes (or plain keys hashed at start-up), looked
 * up by the hash of the key presented and confirmed with a constant-time comparison. No plain key is
 * kept in memory.
 */
export class HashedApiKeyValidator implements ApiKeyValidator {
  readonly #byHash = new Map<string, { digest: Buffer; client: ClientApplication }>();

  constructor(entries: readonly ApiKeyEntry[] = []) {
    entries.forEach((entry, index) => {
      const hex = entry.sha256 !== undefined ? entry.sha256.toLowerCase() : sha256Hex(entry.key);
      if (!/^[0-9a-f]{64}$/.test(hex) || (entry.key !== undefined && entry.key === '')) {
        throw ApiErrorsConfigurationError.create(
          `apiKey.keys[${index}] (client "${entry.client?.id}") has ${entry.sha256 !== undefined ? 'a sha256 that is not 64 hex digits' : 'an empty key'}`,
          'Give { sha256: <hex SHA-256 of the key> } or { key: <the key> }',
        );
      }
      if (this.#byHash.has(hex)) {
        throw ApiErrorsConfigurationError.create(
          `apiKey.keys[${index}] repeats a key already given`,
          'Give each key once',
        );
      }
      this.#byHash.set(hex, { digest: Buffer.from(hex, 'hex'), client: entry.client });
    });
  }

  validate(key: string): ClientApplication | null {
    if (key.length > MAX_KEY_LENGTH) {
      return null;
    }
    const digest = sha256(key);
    const entry = this.#byHash.get(digest.toString('hex'));
    return entry !== undefined && timingSafeEqual(entry.digest, digest) ? entry.client : null;
  }
}

/** One-shot `crypto.hash` (Node ≥ 20.12) where there is one: about twice as fast for short inputs. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

function sha256(value: string): Buffer {
  return oneShot !== undefined
    ? oneShot('sha256', value, 'buffer')
    : createHash('sha256').update(value, 'utf8').digest();
}

export function sha256Hex(value: string): string {
  return sha256(value).toString('hex');
}
