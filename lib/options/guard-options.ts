import type { SiteverifyCaptchaOptions } from '../guards/captcha/siteverify-captcha.verifier.js';
import type { ApiKeyEntry } from '../guards/api-key/hashed-api-key.validator.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { numberOption, stringOption, urlOption } from './option-checks.js';

// The API key and captcha options, checked and completed with their defaults: called once by the module at start-up,
// and by the default collaborators' constructors when an application builds one itself.

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
