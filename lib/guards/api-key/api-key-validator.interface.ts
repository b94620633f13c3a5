import type { ClientApplication } from '../principal.interface.js';

/**
 * Looks up the client application of an API key. Plug your own (a database lookup, say) through the
 * module's `apiKey.validator` option; the default is `HashedApiKeyValidator`.
 */
export interface ApiKeyValidator {
  /**
   * The client application the key belongs to, or `null` for an unknown, revoked or malformed key.
   * Throw `ServerUnavailableException` when the lookup cannot be made (the database is down).
   */
  validate(key: string): Promise<ClientApplication | null> | ClientApplication | null;
}

/** Injection token of the API key validator. */
export const API_KEY_VALIDATOR = Symbol.for('nestjs-api-errors.api-key-validator');
