import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ProblemDetailsSettings } from '../filter/problem-details.js';
import { docUrlOption, type DocUrlOf } from './option-checks.js';

/** RFC 9457's `type` when the API publishes no page for a code: "no more than the status says". */
export const ABOUT_BLANK = 'about:blank';

/**
 * `problemDetails`: `true`, or `{ type }` with a URL template (`{code}`) or a function of the code, checked as
 * `docUrl` is. Without `type`, a code's `type` is its `docUrl` page, else `about:blank`: RFC 9457's value
 * for a problem with no page of its own, so that a client never follows a URL that leads nowhere.
 */
export function problemDetailsOption(
  value: unknown,
  docUrlOf: DocUrlOf | undefined,
): ProblemDetailsSettings | undefined {
  if (value === undefined || value === false) {
    return undefined;
  }
  if (value === true) {
    return { typeOf: code => docUrlOf?.(code) ?? ABOUT_BLANK };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiErrorsConfigurationError.create(
      'problemDetails is not a boolean nor an object',
      "Give true, or { type: 'https://api.example.com/errors/{code}' }",
    );
  }
  const type: unknown = (value as { type?: unknown }).type;
  if (type === undefined) {
    return problemDetailsOption(true, docUrlOf);
  }
  let typeOf: DocUrlOf | undefined;
  try {
    typeOf = docUrlOption(type);
  } catch {
    throw ApiErrorsConfigurationError.create(
      'problemDetails.type is not a URL template with {code} in it, nor a function giving an absolute http(s) URL',
      "Give e.g. { type: 'https://api.example.com/errors/{code}' }",
    );
  }
  return { typeOf: code => typeOf?.(code) ?? ABOUT_BLANK };
}

/**
 * The filter's `problemDetails`: the settings the module resolved at start-up (what Nest injects), or the
 * option as written, for a filter built with `new ApiErrorsFilter(options, …)`.
 */
export function filterProblemDetails(
  value: unknown,
  docUrlOf: DocUrlOf | undefined,
): ProblemDetailsSettings | undefined {
  const resolved = value as Partial<ProblemDetailsSettings> | null | undefined;
  return typeof resolved?.typeOf === 'function'
    ? (resolved as ProblemDetailsSettings)
    : problemDetailsOption(value, docUrlOf);
}
