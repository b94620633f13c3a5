import type { JwtVerifierOptions } from '../guards/authorization/jwt-token.verifier.js';
import type { HmacSignatureOptions } from '../guards/authorization/hmac-signature.verifier.js';
import type { SiteverifyCaptchaOptions } from '../guards/captcha/siteverify-captcha.verifier.js';
import type { ApiKeyEntry } from '../guards/api-key/hashed-api-key.validator.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { numberOption, secretOption, stringOption } from './option-checks.js';

// The guards' options, checked and completed with their defaults: called once by the module at start-up,
// and by the default collaborators' constructors when an application builds one itself.

/** A header name as HTTP allows it (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function headerNameOption(path: string, value: unknown, fallback: string): string {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    throw ApiErrorsConfigurationError.create(
      `${path} is not a header name`,
      `Give a header name such as "${fallback}"`,
    );
  }
  return value;
}

function urlOption(path: string, value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw ApiErrorsConfigurationError.create(
      `${path} is not an http(s) URL`,
      'Give an absolute URL such as https://auth.example.com/.well-known/jwks.json',
    );
  }
  return value as string;
}

function oneOrManyStrings(path: string, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  if (value !== undefined && (values.length === 0 || values.some(item => typeof item !== 'string' || item === ''))) {
    throw ApiErrorsConfigurationError.create(
      `${path} is neither a non-empty string nor a list of them`,
      'Give a string or an array of strings',
    );
  }
}

/** `apiKey.keys`: each entry names its client and gives exactly one of `key` and `sha256`. */
export function apiKeyEntriesOption(path: string, value: unknown): readonly ApiKeyEntry[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw ApiErrorsConfigurationError.create(
      `${path} is not an array`,
      'Give [{ key, client: { id } }, …] or [{ sha256, client: { id } }, …]',
    );
  }
  value.forEach((entry: Partial<Record<'key' | 'sha256' | 'client', unknown>> | null, index) => {
    const at = `${path}[${index}]`;
    if (
      entry === null ||
      typeof entry !== 'object' ||
      typeof (entry.client as { id?: unknown } | undefined)?.id !== 'string'
    ) {
      throw ApiErrorsConfigurationError.create(
        `${at} has no client with a string id`,
        'Give { key, client: { id: "web-app" } }',
      );
    }
    const given = [entry.key, entry.sha256].filter(item => item !== undefined);
    if (given.length !== 1) {
      throw ApiErrorsConfigurationError.create(
        `${at} has ${given.length === 0 ? 'neither key nor sha256 (is the environment variable it comes from set?)' : 'both key and sha256'}`,
        'Give exactly one: { key: <the key> } or { sha256: <hex SHA-256 of the key> }',
      );
    }
    if (entry.key !== undefined && (typeof entry.key !== 'string' || entry.key === '')) {
      throw ApiErrorsConfigurationError.create(`${at}.key is not a non-empty string`, 'Give the key as a string');
    }
    if (entry.sha256 !== undefined && (typeof entry.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(entry.sha256))) {
      throw ApiErrorsConfigurationError.create(
        `${at}.sha256 is not 64 hex digits`,
        'Give the hex SHA-256 of the key (e.g. `printf %s "$KEY" | sha256sum`)',
      );
    }
  });
  return value as ApiKeyEntry[];
}

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

const CAPTCHA_PROVIDERS = ['turnstile', 'recaptcha', 'hcaptcha'];

/** `captcha` (the siteverify verifier's options) with its defaults. */
export type ResolvedSiteverifyCaptchaOptions = SiteverifyCaptchaOptions &
  Required<Pick<SiteverifyCaptchaOptions, 'timeoutMs'>>;

export function resolveSiteverifyCaptchaOptions(
  options: SiteverifyCaptchaOptions,
  path = 'captcha',
): ResolvedSiteverifyCaptchaOptions {
  if (!CAPTCHA_PROVIDERS.includes(options.provider)) {
    throw ApiErrorsConfigurationError.create(
      `${path}.provider is not one of ${CAPTCHA_PROVIDERS.join(', ')}`,
      'Set captcha: { provider, secret } or give your own captcha.verifier',
    );
  }
  if (typeof options.secret !== 'string' || options.secret === '') {
    throw ApiErrorsConfigurationError.create(
      `${path}.secret is not a non-empty string (is the environment variable set?)`,
      "Give the provider's secret key",
    );
  }
  urlOption(`${path}.verifyUrl`, options.verifyUrl);
  stringOption(`${path}.hostname`, options.hostname);
  return {
    ...options,
    timeoutMs: numberOption(`${path}.timeoutMs`, options.timeoutMs, 5000, { min: 1, max: 60_000 }),
    ...(options.minScore === undefined
      ? {}
      : { minScore: numberOption(`${path}.minScore`, options.minScore, 0, { min: 0, max: 1, integer: false }) }),
  };
}
