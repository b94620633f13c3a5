import type { ApiErrorMessages } from '../exceptions/api-error-messages.js';
import type { JsonValue } from '../exceptions/api.exception.js';

/** What the filter makes of any thrown value before it becomes a body. */
export interface ResolvedError {
  status: number;
  code: string;
  messages: ApiErrorMessages;
  /** Extra top-level body fields (`critical_auth_method`, `retry_after`, …). */
  fields: Readonly<Record<string, JsonValue>>;
  /** Response headers the error asks for (`WWW-Authenticate`, …). */
  headers?: Readonly<Record<string, string>>;
}
