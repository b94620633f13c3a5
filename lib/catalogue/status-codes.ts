import type { ApiErrorCode } from './api-error-catalogue.js';

/**
 * Whether `status` is an HTTP error status: an integer from 400 to 599. The one check for it: a status
 * outside this range, in anything thrown, is a server fault.
 */
export function isErrorStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}

/** The code an error status stands for, when the exception that carries it has no code of its own. */
export interface StatusCode {
  readonly code: ApiErrorCode;
  /** Whether the exception's own messages are kept (when they say more than its status); else the code's. */
  readonly keepsMessages: boolean;
}

/**
 * Error statuses with a code of their own (the README's table "What every failure becomes"). Any other
 * status is `OTHER_CLIENT_ERROR` (4xx) or `OTHER_SERVER_ERROR` (5xx).
 */
export const ERROR_CODE_BY_STATUS: ReadonlyMap<number, StatusCode> = new Map<number, StatusCode>([
  [400, { code: 'request.validation.failed', keepsMessages: true }],
  [401, { code: 'auth.token.invalid', keepsMessages: true }],
  [403, { code: 'auth.restricted', keepsMessages: true }],
  [404, { code: 'object.id.notfound', keepsMessages: true }],
  [413, { code: 'request.body.toolarge', keepsMessages: false }],
  [415, { code: 'request.mediatype.unsupported', keepsMessages: false }],
  [422, { code: 'request.validation.failed', keepsMessages: true }],
  [429, { code: 'request.rate.exceeded', keepsMessages: true }],
  [503, { code: 'server.unavailable', keepsMessages: false }],
]);

/** Any other 4xx status: `request.failed`, with that status. */
export const OTHER_CLIENT_ERROR: StatusCode = { code: 'request.failed', keepsMessages: true };

/** Any other 5xx status: `server.internal.error`, with that status; a 5xx body never says more than the code. */
export const OTHER_SERVER_ERROR: StatusCode = { code: 'server.internal.error', keepsMessages: false };

/**
 * Codes whose HTTP status is not fixed: the status of the failure they stand for is kept (a 418 stays a
 * 418 `request.failed`). Every other code answers with its catalogue status.
 */
export const VARIABLE_STATUS_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  OTHER_CLIENT_ERROR.code,
  OTHER_SERVER_ERROR.code,
]);

/** The code of an error status (400–599). */
export function codeForStatus(status: number): StatusCode {
  return ERROR_CODE_BY_STATUS.get(status) ?? (status < 500 ? OTHER_CLIENT_ERROR : OTHER_SERVER_ERROR);
}
