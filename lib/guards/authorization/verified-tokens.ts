import type { JwksKeyIds, JwtClaims } from './jwt-claims.js';

/** A verified token: its claims, the `kid` it was signed under, and when it stops being accepted (ms). */
interface VerifiedToken {
  claims: JwtClaims;
  kid: string | undefined;
  until: number;
}

/** How `VerifiedTokens` remembers. */
export interface VerifiedTokensOptions {
  /** How many tokens at most (the oldest goes first); `0` remembers none. */
  size: number;
  /** Longest a token is remembered, in milliseconds, whatever its `exp`. */
  maxAgeMs: number;
  /** Clock skew accepted on `exp`, in milliseconds. */
  toleranceMs: number;
  /** The clock, in milliseconds. */
  now: () => number;
}

/**
 * The tokens `JwtTokenVerifier` verified, by their full text, so that the next request with the same
 * token skips the signature check: each until its `exp` (plus the tolerance) but never longer than
 * `maxAgeMs`. With a JWKS it also follows the key set: when a fetch shows that keys left it, the tokens
 * signed under them (or under no `kid`) are forgotten.
 */
export class VerifiedTokens {
  /** Verified tokens, oldest first. */
  readonly #entries = new Map<string, VerifiedToken>();
  /** The key ids of the key set last seen, and when (by `now`) it was fetched. */
  #kids: ReadonlySet<string> | undefined;
  #keysFetchedAt: number | undefined;

  constructor(private readonly options: VerifiedTokensOptions) {}

  /** The claims of a token verified before and not yet expired. */
  get(token: string): JwtClaims | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) {
      return undefined;
    }
    if (this.options.now() >= entry.until) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a token just verified (not one without `exp`, nor when remembering is off). */
  set(token: string, claims: JwtClaims, kid: string | undefined): void {
    const { size, maxAgeMs, toleranceMs, now } = this.options;
    if (size <= 0 || maxAgeMs <= 0 || typeof claims.exp !== 'number') {
      return;
    }
    if (this.#entries.size >= size) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    const until = Math.min(claims.exp * 1000 + toleranceMs, now() + maxAgeMs);
    this.#entries.set(token, { claims, kid, until });
  }

  /** Whether the key set was fetched at least `maxAgeMs` ago by this clock (never before: not due). */
  isKeySetOlderThan(maxAgeMs: number): boolean {
    return this.#keysFetchedAt !== undefined && this.options.now() - this.#keysFetchedAt >= maxAgeMs;
  }

  /**
   * Takes note of the key set held after a key look-up. When its key ids changed (a fetch happened),
   * remembered tokens whose `kid` left the set — or that named none — are forgotten.
   */
  keySetSeen(jwks: JwksKeyIds | undefined, fetched: boolean): void {
    if (jwks === undefined) {
      return;
    }
    const kids = new Set(jwks.keys.map(key => key.kid).filter((kid): kid is string => typeof kid === 'string'));
    const previous = this.#kids;
    const changed = previous === undefined || previous.size !== kids.size || [...kids].some(kid => !previous.has(kid));
    if (changed || fetched || this.#keysFetchedAt === undefined) {
      this.#keysFetchedAt = this.options.now();
    }
    this.#kids = kids;
    if (changed && previous !== undefined) {
      for (const [token, entry] of this.#entries) {
        if (entry.kid === undefined || !kids.has(entry.kid)) {
          this.#entries.delete(token);
        }
      }
    }
  }
}
