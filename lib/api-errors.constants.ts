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

// Body fields the guards read (and remove once used, so that a whitelisting ValidationPipe accepts the rest).

/** The body field that may carry a Bearer token where there is no `Authorization` header. */
export const TOKEN_FIELD = 'token';

/** The body field of the captcha response (`@RequireCaptcha()`). */
export const CAPTCHA_FIELD = 'captcha_response';

/** The body field that lists the accepted disclaimer ids (`@RequireDisclaimers()`). */
export const DISCLAIMERS_FIELD = 'accept_disclaimers';

/** The body field of the current password in a critical-change re-authentication (`@CriticalAuth()`). */
export const PASSWORD_FIELD = 'password';

/** The body field of the one-time password in a critical-change re-authentication (`@CriticalAuth()`). */
export const OTP_FIELD = 'otp';
