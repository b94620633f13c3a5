import { BUILT_IN_ERRORS, type ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import { API_ERROR_CODE_FORMAT } from '../catalogue/code-format.js';
import type { ApiErrorBody } from './api-error-body.interface.js';
import { declaredFields, fieldValueMatches, OPTIONAL_ENVELOPE_FIELDS } from './declared-fields.js';

/** Field name → the codes that carry it, from the catalogue's declarations. */
const DECLARED = declaredFields(BUILT_IN_ERRORS.values());

/**
 * Tells whether a parsed response body is an error envelope: the same checks as
 * `apiErrorBodySchema`, without a JSON Schema validator. It narrows to the body of the built-in
 * codes, so that comparing `error_code` with a misspelt code does not compile; an application's
 * codes pass the check too: name them as `C` to have them in the type.
 *
 * @example
 * const body: unknown = await response.json();
 * if (isApiErrorBody(body) && body.error_code === 'auth.token.expired') await refreshToken();
 * if (isApiErrorBody<'billing.card.declined'>(body) && body.error_code === 'billing.card.declined') …
 */
export function isApiErrorBody<C extends string = never>(value: unknown): value is ApiErrorBody<ApiErrorCode | C> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const body = value as Record<string, unknown>;
  return (
    body.status === 'error' &&
    typeof body.error_code === 'string' &&
    API_ERROR_CODE_FORMAT.test(body.error_code) &&
    typeof body.error_id === 'string' &&
    body.error_id !== '' &&
    isMessages(body.messages) &&
    hasDeclaredFields(body, body.error_code)
  );
}

/** Each declared field present only with its codes and of its type; a code's required fields there. */
function hasDeclaredFields(body: Record<string, unknown>, code: string): boolean {
  for (const [name, spec] of Object.entries(OPTIONAL_ENVELOPE_FIELDS)) {
    if (body[name] !== undefined && !fieldValueMatches(spec, body[name])) {
      return false;
    }
  }
  for (const [name, { spec, codes }] of DECLARED) {
    if (body[name] !== undefined && (!codes.includes(code) || !fieldValueMatches(spec, body[name]))) {
      return false;
    }
  }
  const own = BUILT_IN_ERRORS.get(code)?.fields ?? {};
  return Object.entries(own).every(([name, spec]) => spec.required !== true || body[name] !== undefined);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every(item => typeof item === 'string' && item !== '');
}

function isMessages(value: unknown): boolean {
  if (Array.isArray(value)) {
    return isStringList(value);
  }
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const lists = Object.values(value);
  return lists.length > 0 && lists.every(isStringList);
}
