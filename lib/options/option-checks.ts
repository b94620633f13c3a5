import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';

/** How a rejected value reads in a message: its type and, for numbers and short strings, the value. Never a secret. */
function describe(value: unknown, secret = false): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'number') {
    return `the number ${String(value)}`;
  }
  if (typeof value === 'string') {
    return secret
      ? `a string of ${Buffer.byteLength(value)} bytes`
      : `the string ${JSON.stringify(value.slice(0, 40))}`;
  }
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function reject(path: string, value: unknown, problem: string, fix: string, secret = false): never {
  throw ApiErrorsConfigurationError.create(`${path} is ${describe(value, secret)}, ${problem}`, fix);
}

export interface NumberRule {
  min: number;
  max?: number;
  /** Whole numbers only. @default true */
  integer?: boolean;
}

/**
 * A numeric option: `undefined` takes the default; anything else must be a finite number within the
 * rule (`NaN` from `Number(process.env.UNSET)` stops the start-up instead of turning a check off).
 */
export function numberOption(path: string, value: unknown, fallback: number, rule: NumberRule): number {
  if (value === undefined) {
    return fallback;
  }
  const integer = rule.integer ?? true;
  const range = rule.max === undefined ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
  const wanted = `${integer ? 'a whole number' : 'a number'} ${range}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    reject(path, value, `not a finite number`, `Give ${wanted}, or leave it out for the default (${fallback})`);
  }
  if (integer && !Number.isInteger(value)) {
    reject(path, value, 'not a whole number', `Give ${wanted}`);
  }
  if (value < rule.min || (rule.max !== undefined && value > rule.max)) {
    reject(path, value, 'out of range', `Give ${wanted}`);
  }
  return value;
}

/** An optional string option: `undefined`, or a non-empty string. */
export function stringOption(path: string, value: unknown): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
    reject(path, value, 'not a non-empty string', 'Give a non-empty string, or leave the option out');
  }
  return value;
}

/**
 * A secret that keys an HMAC: at least `minBytes` bytes (32 for HMAC-SHA256, as RFC 7518 §3.2 asks of
 * HS256 keys). The message gives its length, never its value.
 */
export function secretOption(path: string, value: unknown, minBytes = 32): string {
  if (typeof value !== 'string') {
    reject(
      path,
      value,
      'not a string',
      `Give a secret of at least ${minBytes} bytes (e.g. 32 random bytes, base64), from your secrets manager`,
      true,
    );
  }
  if (Buffer.byteLength(value) < minBytes) {
    reject(
      path,
      value,
      `shorter than ${minBytes} bytes`,
      `Give a secret of at least ${minBytes} bytes (e.g. \`openssl rand -base64 32\`)`,
      true,
    );
  }
  return value;
}

/** A collaborator option: `undefined`, or an object with the named methods. */
export function collaboratorOption<T>(path: string, value: unknown, methods: readonly string[]): T | undefined {
  if (value === undefined) {
    return undefined;
  }
  const missing = methods.filter(method => typeof (value as Record<string, unknown> | null)?.[method] !== 'function');
  if (value === null || typeof value !== 'object' || missing.length > 0) {
    reject(
      path,
      value,
      `without ${missing.map(method => `${method}()`).join(', ')}`,
      `Give an object with ${methods.map(method => `${method}()`).join(', ')}`,
    );
  }
  return value as T;
}

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

export function urlOption(path: string, value: unknown): string | undefined {
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

export function oneOrManyStrings(path: string, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  if (value !== undefined && (values.length === 0 || values.some(item => typeof item !== 'string' || item === ''))) {
    throw ApiErrorsConfigurationError.create(
      `${path} is neither a non-empty string nor a list of them`,
      'Give a string or an array of strings',
    );
  }
}

/** The code `docUrl` is tried with at start-up: any code gives a URL of the same form. */
const SAMPLE_CODE = 'auth.apikey.missing';

/** The page of a code, or `undefined` when the application's function gave no URL for it. */
export type DocUrlOf = (code: string) => string | undefined;

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return false;
  }
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/**
 * `docUrl`: a template with `{code}`, or a function of the code, that must give an absolute http(s) URL.
 * The function is tried once here, so that a wrong one stops the start-up rather than every error body;
 * afterwards, a function that throws or gives no URL for some code leaves `doc_url` out of that body,
 * because the filter must answer whatever happens.
 */
export function docUrlOption(value: unknown): DocUrlOf | undefined {
  if (value === undefined) {
    return undefined;
  }
  const example = "Give e.g. 'https://api.example.com/errors/{code}', or (code) => `https://…/${code}`";
  if (typeof value === 'function') {
    const sample: unknown = value(SAMPLE_CODE);
    if (!isHttpUrl(sample)) {
      reject(`docUrl('${SAMPLE_CODE}')`, sample, 'not an absolute http(s) URL', example);
    }
    const docUrlOf = value as (code: string) => unknown;
    return code => {
      try {
        const url = docUrlOf(code);
        return typeof url === 'string' && url !== '' ? url : undefined;
      } catch {
        return undefined;
      }
    };
  }
  if (typeof value !== 'string' || !value.includes('{code}')) {
    reject('docUrl', value, 'not a URL template with {code} in it, nor a function', example);
  }
  if (!isHttpUrl(value.replaceAll('{code}', SAMPLE_CODE))) {
    reject('docUrl', value, 'not an absolute http(s) URL', example);
  }
  return code => value.replaceAll('{code}', code);
}
