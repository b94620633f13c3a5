import { API_ERROR_CODE_FORMAT } from '../catalogue/code-format.js';
import type { ApiErrorBody } from './api-error-body.interface.js';

/**
 * Tells whether a parsed response body is an error envelope, the same checks as
 * `apiErrorBodySchema` without a JSON Schema validator.
 *
 * @example
 * const body: unknown = await response.json();
 * if (isApiErrorBody(body) && body.error_code === 'auth.token.expired') await refreshToken();
 */
export function isApiErrorBody(value: unknown): value is ApiErrorBody<string> {
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
    (body.critical_auth_method === undefined ||
      body.critical_auth_method === 'password' ||
      body.critical_auth_method === 'otp') &&
    (body.retry_after === undefined || (Number.isInteger(body.retry_after) && (body.retry_after as number) >= 0))
  );
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
