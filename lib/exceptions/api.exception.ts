import { HttpException } from '@nestjs/common';
import { BUILT_IN_ERRORS, type ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { ENVELOPE_FIELDS, OPTIONAL_ENVELOPE_FIELDS } from '../envelope/declared-fields.js';
import { normalizeMessages, type ApiErrorMessages, type ApiErrorMessagesInput } from './api-error-messages.js';
import { brandClass, isInstanceInAnyCopy } from './same-class-in-every-copy.js';

/** A JSON value, as extra body fields may carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Body fields an exception may not set: the envelope owns them. */
export const RESERVED_BODY_FIELDS: ReadonlySet<string> = new Set([
  ...ENVELOPE_FIELDS,
  ...Object.keys(OPTIONAL_ENVELOPE_FIELDS),
]);

export interface ApiExceptionOptions {
  /** The error that led to this one. Logged (for 5xx) but never sent to the client. */
  cause?: unknown;
  /**
   * Extra top-level fields of the error body, e.g. `{ retry_after: 30 }`. The envelope's own fields
   * (`status`, `error_code`, `error_id`, `messages`) cannot be set here.
   */
  fields?: Readonly<Record<string, JsonValue>>;
  /** Response headers sent with the error, e.g. `WWW-Authenticate` on a 401. */
  headers?: Readonly<Record<string, string>>;
}

/** The body an {@link ApiException} describes, without the `error_id` that the filter adds per response. */
export interface ApiExceptionBody {
  status: 'error';
  error_code: string;
  messages: ApiErrorMessages;
  [field: string]: JsonValue;
}

/**
 * The base of every error of the contract. Throw one of its per-code subclasses
 * (`new ApiKeyMissingException()`), or this class with a code:
 *
 * @example
 * throw new ApiException('object.id.notfound');
 * throw new ApiException('request.validation.failed', { email: ['email is already taken'] });
 *
 * It is a Nest `HttpException`: its status is the code's status, `errorCode` is the code, and
 * `getResponse()` is the error body without `error_id`, so that other filters and loggers see the code.
 */
export class ApiException extends HttpException {
  /**
   * Capture a stack trace for 4xx exceptions too (off by default: the filter never logs the stack of
   * a client error, and capturing it costs more than the rest of the exception). Set it to `true`
   * while debugging where a 4xx comes from.
   */
  static captureClientErrorStacks = false;

  /** True for the exceptions of this class made by another copy of the package too (its CommonJS or ES module build). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceInAnyCopy(this, value);
  }

  /** The error code, e.g. `auth.apikey.missing`. */
  readonly code: string;
  /**
   * The same code where Nest's own `HttpException` keeps one (`errorCode`, Nest 12), set by this class
   * itself so that filters and loggers that read it see it on Nest 11 too.
   */
  override errorCode: string;
  /** What the client reads in `messages`. */
  readonly messages: ApiErrorMessages;
  /** Extra top-level body fields. */
  readonly fields: Readonly<Record<string, JsonValue>>;
  /** Response headers sent with the error; a guard may add to them (`WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode | ApiErrorEntry, messages?: ApiErrorMessagesInput, options: ApiExceptionOptions = {}) {
    const entry = typeof code === 'string' ? builtInEntry(code) : code;
    const resolved = normalizeMessages(messages) ?? [entry.message];
    const fields = options.fields ?? {};
    for (const field of Object.keys(fields)) {
      if (RESERVED_BODY_FIELDS.has(field)) {
        throw ApiErrorsConfigurationError.create(
          `the extra field "${field}" of an ${entry.exception} is one the envelope owns`,
          `Rename the field: ${[...RESERVED_BODY_FIELDS].join(', ')} cannot be set by an exception`,
        );
      }
    }
    const body: ApiExceptionBody = { status: 'error', error_code: entry.code, messages: resolved, ...fields };
    // A client error is an answer, not a fault: its stack is never logged, and capturing it is the
    // largest cost of building the exception. Server errors keep theirs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (entry.status < 500 && !ApiException.captureClientErrorStacks) {
      Error.stackTraceLimit = 0;
    }
    try {
      super(body, entry.status, { cause: options.cause });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.code = entry.code;
    this.errorCode = entry.code;
    this.messages = resolved;
    this.fields = fields;
    this.headers = { ...options.headers };
    this.message = Array.isArray(resolved) ? resolved.join(' ') : entry.message;
  }
}

brandClass(ApiException, 'ApiException');

function builtInEntry(code: ApiErrorCode): ApiErrorEntry {
  const entry = BUILT_IN_ERRORS.get(code);
  if (entry === undefined) {
    throw ApiErrorsConfigurationError.create(
      `"${String(code)}" is not a code of the built-in catalogue`,
      'Define application codes with defineApiErrors() and throw them through the class it gives you',
    );
  }
  return entry;
}
