/** Default media types the Express adapter accepts for request bodies. */
export const DEFAULT_ACCEPTED_MEDIA_TYPES: readonly string[] = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/** Default name of the header that carries the error id. */
export const DEFAULT_ERROR_ID_HEADER = 'X-Error-Id';

/** Context of the package's log lines. */
export const API_ERRORS_LOGGER_CONTEXT = 'ApiErrors';

/** Default header of the API key. */
export const DEFAULT_API_KEY_HEADER = 'X-Api-Key';
