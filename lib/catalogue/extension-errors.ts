import type { ApiErrorDefinition } from './api-error-definition.interface.js';

/** Extensions: framework and infrastructure errors the contract does not name. */
export const EXTENSION_ERRORS = {
  'request.route.notfound': {
    status: 404,
    message: 'No API endpoint matches the request method and path.',
    exception: 'RouteNotFoundException',
    origin: 'extension',
  },
  'request.method.notallowed': {
    status: 405,
    message: 'The request method is not allowed for this resource; the Allow header lists the methods it serves.',
    exception: 'MethodNotAllowedException',
    origin: 'extension',
  },
  'request.body.toolarge': {
    status: 413,
    message: 'Request body is larger than the server accepts.',
    exception: 'BodyTooLargeException',
    origin: 'extension',
  },
  'request.mediatype.unsupported': {
    status: 415,
    message: 'Request body has an unsupported media type or charset; send application/json in UTF-8.',
    exception: 'MediaTypeUnsupportedException',
    origin: 'extension',
  },
  'request.rate.exceeded': {
    status: 429,
    message: 'Too many requests; retry after the number of seconds given in retry_after.',
    exception: 'RateLimitExceededException',
    origin: 'extension',
    fields: {
      retry_after: {
        type: 'integer',
        minimum: 0,
        description: 'Seconds to wait before retrying (also sent as the Retry-After header).',
        example: 30,
      },
    },
  },
  'request.failed': {
    status: 400,
    message: 'Request cannot be carried out.',
    exception: 'RequestFailedException',
    origin: 'extension',
  },
  'server.unavailable': {
    status: 503,
    message: 'Service is temporarily unavailable; retry later.',
    exception: 'ServerUnavailableException',
    origin: 'extension',
  },
  'server.internal.error': {
    status: 500,
    message: 'An internal server error occurred. Quote error_id when you contact support.',
    exception: 'ServerInternalErrorException',
    origin: 'extension',
  },
} as const satisfies Record<string, ApiErrorDefinition>;
