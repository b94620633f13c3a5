import { API_ERROR_CATALOGUE } from 'nestjs-api-errors';
import { expectedErrorText, type RawResponse } from './http-client.js';

export interface ErrorExpectation {
  /** The body's `messages`; by default the code's catalogue message, as a list of one. */
  messages?: string[] | Record<string, string[]>;
  /** Top-level fields beside the envelope's four (`critical_auth_method`, `retry_after`). */
  fields?: Record<string, unknown>;
  /** The HTTP status; by default the code's catalogue status. Needed for a code of your own catalogue. */
  status?: number;
}

/**
 * The one assertion of an error answer: its status, and its body byte for byte (the envelope, the code,
 * the messages, the extra fields, the error id the response carries). The client has already checked
 * the body against `apiErrorBodySchema` and the `X-Error-Id` header.
 */
export function expectError(res: RawResponse, code: string, expected: ErrorExpectation = {}): void {
  const definition = (API_ERROR_CATALOGUE as Record<string, { status: number; message: string } | undefined>)[code];
  const status = expected.status ?? definition?.status;
  const messages = expected.messages ?? (definition === undefined ? undefined : [definition.message]);
  if (status === undefined || messages === undefined) {
    throw new Error(`${code} is not in the built-in catalogue: give its status and messages`);
  }
  expect({ status: res.status, text: res.text }).toEqual({
    status,
    text: expectedErrorText(res, code, messages, expected.fields),
  });
}
