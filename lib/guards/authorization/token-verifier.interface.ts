import type { Principal } from '../principal.interface.js';

/**
 * Verifies a Bearer token (from the `Authorization` header or the `token` field). The default is
 * `JwtTokenVerifier` (jose); plug your own for opaque tokens through the module's `bearer.verifier`.
 */
export interface TokenVerifier {
  /**
   * The principal of a valid token. Throw `TokenExpiredException` for an expired but otherwise valid
   * token, `TokenInvalidException` for anything else wrong with it, `ServerUnavailableException` when
   * the verification cannot be made (key server down).
   */
  verify(token: string): Promise<Principal>;

  /**
   * Optional fast path: the principal of a token verified before and still valid, without a promise
   * when it can; `undefined` to fall back to `verify()`. `JwtTokenVerifier` answers from its cache.
   */
  verifyCached?(token: string): Principal | Promise<Principal> | undefined;
}

/** Injection token of the Bearer token verifier. */
export const TOKEN_VERIFIER = Symbol.for('nestjs-api-errors.token-verifier');
