import type { ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorMessages } from '../exceptions/api-error-messages.js';

/**
 * The body of every error response.
 *
 * @example
 * { "status": "error", "error_code": "auth.apikey.missing", "error_id": "3f1c9c3e-…",
 *   "messages": ["Request does not have X-Api-Key header which must contain API key of the client application."] }
 */
export interface ApiErrorBody<C extends string = ApiErrorCode> {
  status: 'error';
  /** One of the catalogue's codes. */
  error_code: C;
  /** Unique id of this error response; also in the `X-Error-Id` header and in the server's log line. */
  error_id: string;
  /** Sentences, or sentences per request field (keyed by the field's JSON name, dotted when nested). */
  messages: ApiErrorMessages;
  /** With `critical.auth.required`: how to re-authenticate. */
  critical_auth_method?: 'password' | 'otp';
  /** With `request.rate.exceeded`: seconds to wait before retrying. */
  retry_after?: number;
  /** Other fields a code documents. */
  [field: string]: unknown;
}

/** A successful JSON body: the handler's object with `status` added, or any other value under `data`. */
export type ApiSuccessBody<T> = T extends readonly unknown[] | string | number | boolean | null
  ? { status: 'success'; data: T }
  : T & { status: 'success' };
