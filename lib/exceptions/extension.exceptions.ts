import { builtInError } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorBody } from '../envelope/api-error-body.interface.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorMessagesInput } from './api-error-messages.js';
import { apiExceptionClass } from './api-exception-class.js';
import { ApiException, type ApiExceptionOptions } from './api.exception.js';

// Classes for the extension codes: framework and infrastructure errors the contract does not name.
// The filter maps Nest's own exceptions to these codes; throw the classes where your code means them.

export class RouteNotFoundException extends apiExceptionClass(builtInError('request.route.notfound')) {}
/** 405 `request.method.notallowed`: give the path's methods in the `Allow` header (`options.headers`). */
export class MethodNotAllowedException extends apiExceptionClass(builtInError('request.method.notallowed')) {}
export class BodyTooLargeException extends apiExceptionClass(builtInError('request.body.toolarge')) {}
export class MediaTypeUnsupportedException extends apiExceptionClass(builtInError('request.mediatype.unsupported')) {}
export class ServerUnavailableException extends apiExceptionClass(builtInError('server.unavailable')) {}
export class ServerInternalErrorException extends apiExceptionClass(builtInError('server.internal.error')) {}

const rateExceeded = builtInError('request.rate.exceeded');

/**
 * 429 `request.rate.exceeded`. With `retryAfterSeconds`, the body carries `retry_after` and the
 * response the `Retry-After` header.
 */
export class RateLimitExceededException extends ApiException {
  static readonly code = rateExceeded.code;
  declare readonly code: typeof rateExceeded.code;

  constructor(retryAfterSeconds?: number, messages?: ApiErrorMessagesInput, options: ApiExceptionOptions = {}) {
    // typed by the catalogue's declaration: renaming the field there breaks this line
    const declared: Pick<ApiErrorBody<'request.rate.exceeded'>, 'retry_after'> = retryAfterSeconds === undefined
      ? {}
      : { retry_after: Math.max(0, Math.ceil(retryAfterSeconds)) };
    const fields = retryAfterSeconds === undefined ? options.fields : { ...options.fields, ...declared };
    super(rateExceeded, messages, { ...options, fields });
  }
}

const requestFailed = builtInError('request.failed');

/** `request.failed` with a 4xx status of your choice: a client error no other code describes. */
export class RequestFailedException extends ApiException {
  static readonly code = requestFailed.code;
  declare readonly code: typeof requestFailed.code;

  constructor(status = 400, messages?: ApiErrorMessagesInput, options?: ApiExceptionOptions) {
    if (!Number.isInteger(status) || status < 400 || status > 499) {
      throw ApiErrorsConfigurationError.create(
        `RequestFailedException was given the status ${String(status)}`,
        'Give a 4xx status; server faults are ServerInternalErrorException or ServerUnavailableException',
      );
    }
    super({ ...requestFailed, status }, messages, options);
  }
}
