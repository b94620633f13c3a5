import type { ApiErrorDefinition, ApiErrorEntry } from './api-error-definition.interface.js';

/**
 * The error contract: every code the package answers with, its HTTP status, its default message and
 * the exception class that throws it. The `seed` entries are the published contract, worded as it is;
 * the `extension` entries name framework and infrastructure errors the contract leaves open.
 *
 * This table is the single source of truth: the exception classes, the filter, the body's TypeScript
 * type, its JSON Schema, `isApiErrorBody` and the OpenAPI helpers are all derived from it. A code's
 * `fields` declare the extra body fields it carries (see `ApiErrorFieldSpec`).
 */
export const API_ERROR_CATALOGUE = {
  // 401 Unauthorized
  'auth.apikey.missing': {
    status: 401,
    message: 'Request does not have X-Api-Key header which must contain API key of the client application.',
    exception: 'ApiKeyMissingException',
    origin: 'seed',
  },
  'auth.apikey.invalid': {
    status: 401,
    message: 'API key supplied in X-Api-Key request header is invalid.',
    exception: 'ApiKeyInvalidException',
    origin: 'seed',
  },
  'auth.header.missing': {
    status: 401,
    message: 'Request does not have Authorization header which must contain authentication token or request signature.',
    exception: 'AuthHeaderMissingException',
    origin: 'seed',
  },
  'auth.header.invalid': {
    status: 401,
    message:
      'Authorization request header has invalid format. Bearer <auth_token> or Signature <signature> format is required.',
    exception: 'AuthHeaderInvalidException',
    origin: 'seed',
  },
  'auth.token.expired': {
    status: 401,
    message: 'Authorization request header or token request field contains an expired authentication token.',
    exception: 'TokenExpiredException',
    origin: 'seed',
  },
  'auth.token.invalid': {
    status: 401,
    message: 'Authorization request header or token request field contains an invalid authentication token.',
    exception: 'TokenInvalidException',
    origin: 'seed',
  },
  'auth.signature.invalid': {
    status: 401,
    message: 'Authorization request header contains an invalid request signature.',
    exception: 'SignatureInvalidException',
    origin: 'seed',
  },
  'auth.signature.expired': {
    status: 401,
    message: 'Authorization request header contains an expired request signature.',
    exception: 'SignatureExpiredException',
    origin: 'seed',
  },
  'auth.captcha.missing': {
    status: 401,
    message: 'Request must include captcha_response field which is missing.',
    exception: 'CaptchaMissingException',
    origin: 'seed',
  },
  'auth.captcha.invalid': {
    status: 401,
    message: 'captcha_response request field contains invalid captcha response.',
    exception: 'CaptchaInvalidException',
    origin: 'seed',
  },
  'auth.session.invalid': {
    status: 401,
    message: 'User session state is invalid for this request.',
    exception: 'SessionInvalidException',
    origin: 'seed',
  },
  'auth.password.invalid': {
    status: 401,
    message: 'Request supplied invalid current user password.',
    exception: 'PasswordInvalidException',
    origin: 'seed',
  },
  'auth.otp.invalid': {
    status: 401,
    message: 'otp request field contains invalid one-time password.',
    exception: 'OtpInvalidException',
    origin: 'seed',
  },
  'auth.backupcode.invalid': {
    status: 401,
    message: 'backup_code request field contains invalid one-time backup code.',
    exception: 'BackupCodeInvalidException',
    origin: 'seed',
  },
  'auth.memorable.invalid': {
    status: 401,
    message: 'memorable_letters request field contains invalid letters of user’s memorable words.',
    exception: 'MemorableLettersInvalidException',
    origin: 'seed',
  },
  'auth.controlanswer.invalid': {
    status: 401,
    message: 'control_answer request field contains invalid answer to control question for recovery.',
    exception: 'ControlAnswerInvalidException',
    origin: 'seed',
  },
  'auth.disclaimer.invalid': {
    status: 401,
    message: 'accept_disclaimers request field is missing a legal disclaimer required to be accepted by user.',
    exception: 'DisclaimerInvalidException',
    origin: 'seed',
  },
  'auth.oauth.failed': {
    status: 401,
    message: 'Verification with OAuth provider failed.',
    exception: 'OAuthFailedException',
    origin: 'seed',
  },

  // 403 Forbidden
  'auth.user.restricted': {
    status: 403,
    message: 'User profile is currently restricted from using any API endpoints requiring authorization.',
    exception: 'UserRestrictedException',
    origin: 'seed',
  },
  'auth.user.closed': {
    status: 403,
    message: 'User profile is closed and restricted from using any API endpoints requiring authorization.',
    exception: 'UserClosedException',
    origin: 'seed',
  },
  'auth.user.denied': {
    status: 403,
    message: 'Service is administratively denied for user profile.',
    exception: 'UserDeniedException',
    origin: 'seed',
  },
  'auth.restricted': {
    status: 403,
    message: 'Request cannot be carried out with presented data due to access restrictions.',
    exception: 'AccessRestrictedException',
    origin: 'seed',
  },
  'recovery.question.notset': {
    status: 403,
    message: 'Access recovery by security question requested for user that has no control question set.',
    exception: 'RecoveryQuestionNotSetException',
    origin: 'seed',
  },
  'recovery.phone.notset': {
    status: 403,
    message: 'Access recovery by phone requested for user that has no primary phone set.',
    exception: 'RecoveryPhoneNotSetException',
    origin: 'seed',
  },
  'recovery.email.notset': {
    status: 403,
    message: 'Access recovery by email requested for user that has no primary email set.',
    exception: 'RecoveryEmailNotSetException',
    origin: 'seed',
  },
  'recovery.method.restricted': {
    status: 403,
    message: 'Requested access recovery method is restricted.',
    exception: 'RecoveryMethodRestrictedException',
    origin: 'seed',
  },
  'profile.identifier.used': {
    status: 403,
    message: 'Profile primary identifier (primary phone or primary email) supplied in request is already used.',
    exception: 'ProfileIdentifierUsedException',
    origin: 'seed',
  },
  'profile.identifier.invalid': {
    status: 403,
    message: 'Profile primary identifier (primary phone or primary email) supplied in request is invalid.',
    exception: 'ProfileIdentifierInvalidException',
    origin: 'seed',
  },
  'oauth.identifier.used': {
    status: 403,
    message: 'OAuth user identifier supplied for entry is already used by entry of the same client.',
    exception: 'OAuthIdentifierUsedException',
    origin: 'seed',
  },
  'object.limit.exceeded': {
    status: 403,
    message: 'Attempt to add more objects than maximum limit.',
    exception: 'ObjectLimitExceededException',
    origin: 'seed',
  },
  'critical.auth.required': {
    status: 403,
    message: 'To carry out this request, critical change authentication must be performed.',
    exception: 'CriticalAuthRequiredException',
    origin: 'seed',
    fields: {
      critical_auth_method: {
        type: 'string',
        enum: ['password', 'otp'],
        required: true,
        description: 'How to re-authenticate: repeat the request with the password or the otp field.',
        example: 'otp',
      },
    },
  },
  'member.data.invalid': {
    status: 403,
    message: 'Member data supplied for member entry validation is invalid.',
    exception: 'MemberDataInvalidException',
    origin: 'seed',
  },
  'search.type.restricted': {
    status: 403,
    message: 'Requested object type for search is restricted.',
    exception: 'SearchTypeRestrictedException',
    origin: 'seed',
  },

  // 404 Not Found
  'auth.oauth.notfound': {
    status: 404,
    message: 'OAuth verification returned user id that is not found.',
    exception: 'OAuthUserNotFoundException',
    origin: 'seed',
  },
  'auth.loginid.notfound': {
    status: 404,
    message: 'Request login_id field contains user login ID that is not found.',
    exception: 'LoginIdNotFoundException',
    origin: 'seed',
  },
  'object.id.notfound': {
    status: 404,
    message: 'Requested object id is not found.',
    exception: 'ObjectIdNotFoundException',
    origin: 'seed',
  },

  // 422 Unprocessable Entity
  'request.validation.failed': {
    status: 422,
    message: 'Request data either is invalid JSON or failed field value validation.',
    exception: 'RequestValidationFailedException',
    origin: 'seed',
  },

  // Extensions: framework and infrastructure errors the contract does not name.
  'request.route.notfound': {
    status: 404,
    message: 'No API endpoint matches the request method and path.',
    exception: 'RouteNotFoundException',
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

/** Every code of the built-in catalogue: the contract's codes and the extensions. */
export type ApiErrorCode = keyof typeof API_ERROR_CATALOGUE;

/** The codes the published contract names (the seed). */
export type SeedApiErrorCode = {
  [C in ApiErrorCode]: (typeof API_ERROR_CATALOGUE)[C]['origin'] extends 'seed' ? C : never;
}[ApiErrorCode];

/** The built-in catalogue as entries (code included), built once. */
export const BUILT_IN_ERRORS: ReadonlyMap<string, ApiErrorEntry> = new Map(
  Object.entries(API_ERROR_CATALOGUE).map(([code, definition]) => [code, Object.freeze({ code, ...definition })]),
);

/** The entry of a built-in code. */
export function builtInError<C extends ApiErrorCode>(code: C): ApiErrorEntry & { readonly code: C } {
  return BUILT_IN_ERRORS.get(code) as ApiErrorEntry & { readonly code: C };
}
