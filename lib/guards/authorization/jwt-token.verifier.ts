import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { JwtClaims } from './jwt-claims.js';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import { TokenExpiredException, TokenInvalidException } from '../../exceptions/contract.exceptions.js';
import { ServerUnavailableException } from '../../exceptions/extension.exceptions.js';
import type { Principal, PrincipalStatus } from '../principal.interface.js';
import { resolveJwtVerifierOptions } from '../../options/authorization-options.js';
import type { TokenVerifier } from './token-verifier.interface.js';
import { VerifiedTokens } from './verified-tokens.js';

/** Options of the default Bearer verifier. Give exactly one of `secret`, `publicKey`, `jwksUrl`. */
export interface JwtVerifierOptions {
  /** Shared secret, for HS256 / HS384 / HS512. */
  secret?: string;
  /** Public key: PEM (SPKI or X.509 certificate) or a JWK object. */
  publicKey?: string | Record<string, unknown>;
  /** URL of a JSON Web Key Set (keys are fetched, cached and refreshed by jose). */
  jwksUrl?: string;
  /** Accepted algorithms, e.g. `['RS256']`. `none` is never accepted. */
  algorithms: string[];
  /** Required `iss`. */
  issuer?: string | string[];
  /** Required `aud`. */
  audience?: string | string[];
  /** Required `typ` header, e.g. `at+jwt`. */
  typ?: string;
  /** Clock skew accepted on `exp` and `nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
  /** Time allowed to fetch the JWKS, in milliseconds; past it the answer is 503 `server.unavailable`. @default 5000 */
  jwksTimeoutMs?: number;
  /**
   * How many verified tokens to remember (by their full text, signature included) so that the next
   * request with the same token skips the signature check until it expires. The principal is still
   * built for every request. `0` turns it off.
   * @default 1000
   */
  cacheSize?: number;
  /** Longest a verified token is remembered, in seconds, whatever its `exp` (with `jwksUrl`, 600 at most). @default 600 */
  cacheMaxAgeSeconds?: number;
  /** The clock, in milliseconds (tests pass a fake one). @default Date.now */
  now?: () => number;
  /**
   * Builds the principal from the verified claims (look the user up here).
   * @default `{ id: sub, status: claims.status, claims }`
   */
  principal?: (claims: JwtClaims) => Principal | Promise<Principal>;
}

type Jose = typeof import('jose');
type Key = Parameters<Jose['jwtVerify']>[1];

/** Codes of jose errors that mean the key server could not be used, not that the token is bad. */
const KEY_SERVER_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** How long a fetched JWKS is used before it is fetched again (jose's `cacheMaxAge`, its default). */
const JWKS_CACHE_MAX_AGE_MS = 600_000;

/**
 * The default Bearer verifier: a JWT checked with jose against an algorithm allow-list, issuer,
 * audience and a required `exp`, with clock tolerance. Expired (and otherwise valid) →
 * `auth.token.expired`; anything else wrong → `auth.token.invalid` (jose checks the signature before
 * the claims, so a forged token that is also expired is `invalid`); JWKS unreachable or slow → 503.
 *
 * A verified token is remembered until `exp` but never longer than `cacheMaxAgeSeconds` (and, with
 * `jwksUrl`, than the key set's cache age). With `jwksUrl` the key set is fetched again once it is that
 * old, by the verifier's own clock; whenever a fetch (its own or jose's, for an unknown `kid`) shows that
 * keys left the set, the remembered tokens signed under them are forgotten, so they are refused from then on.
 */
export class JwtTokenVerifier implements TokenVerifier {
  readonly #options: JwtVerifierOptions;
  readonly #verifyOptions: JWTVerifyOptions;
  #key: Promise<Key | JWTVerifyGetKey> | undefined;
  #jose: Promise<Jose> | undefined;
  readonly #verified: VerifiedTokens;

  constructor(options: JwtVerifierOptions) {
    const resolved = resolveJwtVerifierOptions(options);
    this.#options = resolved;
    this.#verified = new VerifiedTokens({
      size: resolved.cacheSize,
      maxAgeMs: Math.min(
        resolved.cacheMaxAgeSeconds * 1000,
        resolved.jwksUrl === undefined ? Infinity : JWKS_CACHE_MAX_AGE_MS,
      ),
      toleranceMs: (resolved.clockToleranceSeconds ?? 30) * 1000,
      now: resolved.now ?? Date.now,
    });
    this.#verifyOptions = {
      algorithms: resolved.algorithms,
      issuer: resolved.issuer,
      audience: resolved.audience,
      typ: resolved.typ,
      clockTolerance: resolved.clockToleranceSeconds,
      requiredClaims: ['exp'],
    };
  }

  async verify(token: string): Promise<Principal> {
    return this.principalOf(this.#verified.get(token) ?? (await this.check(token)));
  }

  verifyCached(token: string): Principal | Promise<Principal> | undefined {
    const claims = this.#verified.get(token);
    return claims === undefined ? undefined : this.principalOf(claims);
  }

  private principalOf(claims: JwtClaims): Principal | Promise<Principal> {
    if (this.#options.principal !== undefined) {
      return this.#options.principal(claims);
    }
    if (typeof claims.sub !== 'string' || claims.sub === '') {
      throw new TokenInvalidException();
    }
    return { id: claims.sub, status: claims.status as PrincipalStatus | undefined, claims };
  }

  private async check(token: string): Promise<JWTPayload> {
    const jose = await this.loadJose();
    let claims: JWTPayload;
    let protectedHeader: { kid?: string };
    try {
      const key = await this.key(jose);
      const currentDate = this.#options.now === undefined ? undefined : new Date(this.#options.now());
      ({ payload: claims, protectedHeader } = await jose.jwtVerify(token, key as Key, {
        ...this.#verifyOptions,
        currentDate,
      }));
    } catch (error) {
      throw this.toException(error);
    }
    this.#verified.set(token, claims, protectedHeader.kid);
    return claims;
  }

  private toException(error: unknown): Error {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_JWT_EXPIRED') {
      return new TokenExpiredException();
    }
    const isKeyServerFailure =
      this.#options.jwksUrl !== undefined &&
      (typeof code !== 'string' || !code.startsWith('ERR_') || KEY_SERVER_FAILURES.has(code));
    return isKeyServerFailure
      ? new ServerUnavailableException(undefined, { cause: error })
      : new TokenInvalidException();
  }

  private loadJose(): Promise<Jose> {
    this.#jose ??= import('jose').catch((error: unknown) => {
      this.#jose = undefined;
      throw ApiErrorsConfigurationError.create(
        `the Bearer verifier needs the "jose" package (${String(error)})`,
        'Install it: npm install jose',
      );
    });
    return this.#jose;
  }

  private key(jose: Jose): Promise<Key | JWTVerifyGetKey> {
    this.#key ??= this.loadKey(jose).catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  private async loadKey(jose: Jose): Promise<Key | JWTVerifyGetKey> {
    const { secret, publicKey, jwksUrl, jwksTimeoutMs } = this.#options;
    const [algorithm] = this.#verifyOptions.algorithms ?? [];
    if (secret !== undefined) {
      return new TextEncoder().encode(secret);
    }
    if (jwksUrl !== undefined) {
      const remote = jose.createRemoteJWKSet(new URL(jwksUrl), {
        timeoutDuration: jwksTimeoutMs ?? 5000,
        cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
      });
      return async (protectedHeader, token) => {
        // Fetched again once as old as jose's cache age by this verifier's clock (jose counts by Date.now).
        const isDue = this.#verified.isKeySetOlderThan(JWKS_CACHE_MAX_AGE_MS);
        if (isDue) {
          await remote.reload();
        }
        try {
          return await remote(protectedHeader, token);
        } finally {
          this.#verified.keySetSeen(remote.jwks(), isDue);
        }
      };
    }
    if (typeof publicKey === 'string') {
      return publicKey.includes('BEGIN CERTIFICATE')
        ? jose.importX509(publicKey, algorithm as string)
        : jose.importSPKI(publicKey, algorithm as string);
    }
    return jose.importJWK(publicKey as Parameters<Jose['importJWK']>[0], algorithm);
  }
}
