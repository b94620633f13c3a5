import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseSignature, signatureBase } from '../../client/signature.js';
import { SignatureExpiredException, SignatureInvalidException } from '../../exceptions/contract.exceptions.js';
import type { ApiErrorsStore } from '../../stores/api-errors-store.interface.js';
import type { Principal } from '../principal.interface.js';
import { resolveHmacSignatureOptions } from '../../options/authorization-options.js';
import { STORE_KEYS } from '../../stores/store-keys.js';
import type { SignatureVerifier, SignedRequest } from './signature-verifier.interface.js';

/** A signing key: its secrets (two during a rotation) and whom it authenticates. */
export interface SigningKey {
  /** Active secrets; a signature made with any of them is accepted. */
  secrets: readonly string[];
  /** The principal of requests signed with this key. */
  principal: Principal;
}

export interface HmacSignatureOptions {
  /** Signing keys by key id. */
  keys: Readonly<Record<string, SigningKey>>;
  /** Accepted distance between `created` and now, both ways, in seconds. @default 300 */
  toleranceSeconds?: number;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
}

const SIGNATURE_BYTES = 32;

/**
 * The default signature scheme: HMAC-SHA256 over the method, path, query, a SHA-256 digest of the raw
 * body, a `created` unix time, a random `nonce` and the key id (in the spirit of RFC 9421). The
 * signature is checked first, in constant time and against every active secret of the key (unknown
 * key ids are checked against a throw-away secret, so they take as long); then the time window
 * (`auth.signature.expired` beyond it, both ways); then the nonce, remembered for twice the window
 * so that a captured request cannot be replayed (`auth.signature.invalid`).
 */
export class HmacSignatureVerifier implements SignatureVerifier {
  readonly #keys: ReadonlyMap<string, SigningKey>;
  readonly #toleranceSeconds: number;
  readonly #now: () => number;
  readonly #decoy = randomBytes(32).toString('base64');

  constructor(
    options: HmacSignatureOptions,
    private readonly store: ApiErrorsStore,
  ) {
    const resolved = resolveHmacSignatureOptions(options);
    this.#keys = new Map(Object.entries(resolved.keys));
    this.#toleranceSeconds = resolved.toleranceSeconds;
    this.#now = options.now ?? Date.now;
  }

  async verify(value: string, request: SignedRequest): Promise<Principal> {
    const parameters = parseSignature(value);
    if (parameters === undefined) {
      throw new SignatureInvalidException();
    }
    const key = this.#keys.get(parameters.keyId);
    const presented = Buffer.from(parameters.signature, 'base64');
    const base = signatureBase(request, parameters);
    let matches = false;
    for (const secret of key?.secrets ?? [this.#decoy]) {
      const expected = createHmac('sha256', secret).update(base).digest();
      // Every secret is compared, so the time taken does not tell which one matched.
      matches = (presented.length === SIGNATURE_BYTES && timingSafeEqual(expected, presented)) || matches;
    }
    if (key === undefined || !matches) {
      throw new SignatureInvalidException();
    }
    const skewSeconds = Math.abs(this.#now() / 1000 - parameters.created);
    if (skewSeconds > this.#toleranceSeconds) {
      throw new SignatureExpiredException();
    }
    const isFirstUse = await this.store.setIfAbsent(
      STORE_KEYS.signatureNonce(parameters.keyId, parameters.nonce),
      '1',
      this.#toleranceSeconds * 2,
    );
    if (!isFirstUse) {
      throw new SignatureInvalidException();
    }
    return { ...key.principal, keyId: parameters.keyId };
  }
}
