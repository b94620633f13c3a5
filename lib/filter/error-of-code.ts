import { builtInError, type ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorMessages } from '../exceptions/api-error-messages.js';
import type { ResolvedError } from './resolved-error.interface.js';

/** The answer of a built-in code: its catalogue status and message, unless others are given. */
export function errorOfCode(code: ApiErrorCode, messages?: ApiErrorMessages, status?: number): ResolvedError {
  const entry = builtInError(code);
  return { status: status ?? entry.status, code, messages: messages ?? [entry.message], fields: {} };
}
