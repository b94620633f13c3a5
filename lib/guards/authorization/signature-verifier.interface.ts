import type { SignedRequest } from '../../client/signature.js';
import type { Principal } from '../principal.interface.js';

export type { SignedRequest };

/**
 * Verifies the value of `Authorization: Signature <value>`. The default is `HmacSignatureVerifier`;
 * plug your own through the module's `signature.verifier`.
 */
export interface SignatureVerifier {
  /**
   * The principal of a valid signature. Throw `SignatureExpiredException` outside the time window,
   * `SignatureInvalidException` for anything else wrong, `ServerUnavailableException` when the nonce
   * store cannot be reached.
   */
  verify(value: string, request: SignedRequest): Promise<Principal>;
}

/** Injection token of the signature verifier. */
export const SIGNATURE_VERIFIER = Symbol.for('nestjs-api-errors.signature-verifier');
