import type { ApiErrorDefinition } from './api-error-definition.interface.js';

/** The contract's 401 Unauthorized codes, worded as the contract words them. */
export const CONTRACT_401_ERRORS = {
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
} as const satisfies Record<string, ApiErrorDefinition>;
