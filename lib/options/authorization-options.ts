import type { HmacSignatureOptions } from '../guards/authorization/hmac-signature.verifier.js';
import type { JwtVerifierOptions } from '../guards/authorization/jwt-token.verifier.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { numberOption, oneOrManyStrings, secretOption, stringOption, urlOption } from './option-checks.js';

// The options of the default Bearer and Signature verifiers, checked and completed with their defaults:
// called once by the module at start-up, and by the verifiers' constructors when an application builds one.

/** Bytes an HMAC key needs for each HS algorithm: the hash's size (RFC 7518 §3.2). */
const HMAC_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

/** `bearer` (the default JWT verifier's options) with its defaults. */
export type ResolvedJwtVerifierOptions = JwtVerifierOptions &
  Required<Pick<JwtVerifierOptions, 'clockToleranceSeconds' | 'jwksTimeoutMs' | 'cacheSize' | 'cacheMaxAgeSeconds'>>;

export function resolveJwtVerifierOptions(options: JwtVerifierOptions, path = 'bearer'): ResolvedJwtVerifierOptions {
  const sources = (['secret', 'publicKey', 'jwksUrl'] as const).filter(source => options[source] !== undefined);
  if (sources.length !== 1) {
    throw ApiErrorsConfigurationError.create(
      `${path} needs exactly one of secret, publicKey and jwksUrl (it has ${sources.length === 0 ? 'none: is the environment variable set?' : sources.join(' and ')})`,
      'Give one key source',
    );
  }
  const algorithms: unknown = options.algorithms;
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    algorithms.some(algorithm => typeof algorithm !== 'string' || algorithm.toLowerCase() === 'none')
  ) {
    throw ApiErrorsConfigurationError.create(
      `${path}.algorithms is not a list of algorithms`,
      "Give the accepted algorithms, e.g. ['RS256'] or ['HS256'] ('none' is never accepted)",
    );
  }
  const hmac = algorithms.filter(algorithm => algorithm in HMAC_KEY_BYTES);
  if (options.secret !== undefined) {
    if (hmac.length !== algorithms.length) {
      throw ApiErrorsConfigurationError.create(
        `${path}.secret goes with HS256, HS384 or HS512 only`,
        'Use publicKey or jwksUrl for other algorithms',
      );
    }
    secretOption(`${path}.secret`, options.secret, Math.max(...hmac.map(algorithm => HMAC_KEY_BYTES[algorithm] ?? 32)));
  } else if (hmac.length > 0) {
    throw ApiErrorsConfigurationError.create(
      `${path}.algorithms lists ${hmac.join(', ')} without a secret`,
      'HMAC tokens need bearer.secret; a public key only verifies asymmetric algorithms',
    );
  }
  if (
    options.publicKey !== undefined &&
    typeof options.publicKey !== 'string' &&
    (options.publicKey === null || typeof options.publicKey !== 'object')
  ) {
    throw ApiErrorsConfigurationError.create(
      `${path}.publicKey is neither a PEM string nor a JWK object`,
      'Give a PEM (SPKI or certificate) or a JWK',
    );
  }
  urlOption(`${path}.jwksUrl`, options.jwksUrl);
  oneOrManyStrings(`${path}.issuer`, options.issuer);
  oneOrManyStrings(`${path}.audience`, options.audience);
  stringOption(`${path}.typ`, options.typ);
  if (options.principal !== undefined && typeof options.principal !== 'function') {
    throw ApiErrorsConfigurationError.create(`${path}.principal is not a function`, 'Give (claims) => principal');
  }
  return {
    ...options,
    clockToleranceSeconds: numberOption(`${path}.clockToleranceSeconds`, options.clockToleranceSeconds, 30, {
      min: 0,
      max: 600,
    }),
    jwksTimeoutMs: numberOption(`${path}.jwksTimeoutMs`, options.jwksTimeoutMs, 5000, { min: 1, max: 60_000 }),
    cacheSize: numberOption(`${path}.cacheSize`, options.cacheSize, 1000, { min: 0, max: 1_000_000 }),
    cacheMaxAgeSeconds: numberOption(`${path}.cacheMaxAgeSeconds`, options.cacheMaxAgeSeconds, 600, {
      min: 0,
      max: 86_400,
    }),
  };
}

/** `signature` (the default HMAC verifier's options) with its defaults. */
export type ResolvedHmacSignatureOptions = Omit<HmacSignatureOptions, 'now'> &
  Required<Pick<HmacSignatureOptions, 'toleranceSeconds'>>;

export function resolveHmacSignatureOptions(
  options: Omit<HmacSignatureOptions, 'now'>,
  path = 'signature',
): ResolvedHmacSignatureOptions {
  const keys: unknown = options.keys;
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
    throw ApiErrorsConfigurationError.create(
      `${path}.keys is not an object of signing keys by key id`,
      'Give { keys: { "partner-1": { secrets: [secret], principal: { id } } } }',
    );
  }
  for (const [keyId, key] of Object.entries(
    keys as Record<string, Partial<Record<'secrets' | 'principal', unknown>>>,
  )) {
    const at = `${path}.keys["${keyId}"]`;
    if (!Array.isArray(key?.secrets) || key.secrets.length === 0 || key.secrets.length > 2) {
      throw ApiErrorsConfigurationError.create(
        `${at}.secrets is not a list of one or two secrets`,
        'Give secrets: [current] or, while rotating, [new, old]',
      );
    }
    key.secrets.forEach((secret: unknown, index) => secretOption(`${at}.secrets[${index}]`, secret));
    if (typeof (key.principal as { id?: unknown } | undefined)?.id !== 'string') {
      throw ApiErrorsConfigurationError.create(
        `${at}.principal has no string id`,
        'Give principal: { id: "partner-1" }',
      );
    }
  }
  return {
    ...options,
    toleranceSeconds: numberOption(`${path}.toleranceSeconds`, options.toleranceSeconds, 300, { min: 1, max: 3600 }),
  };
}
