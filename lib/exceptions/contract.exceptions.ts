import { builtInError } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorBody } from '../envelope/api-error-body.interface.js';
import type { ApiErrorMessagesInput } from './api-error-messages.js';
import { apiExceptionClass } from './api-exception-class.js';
import { ApiException, type ApiExceptionOptions } from './api.exception.js';

// One class per code of the contract. Each can be built with no arguments (the code's default
// message); the first argument replaces `messages`, the second carries `cause` and extra body fields.

// 401
export class ApiKeyMissingException extends apiExceptionClass(builtInError('auth.apikey.missing')) {}
export class ApiKeyInvalidException extends apiExceptionClass(builtInError('auth.apikey.invalid')) {}
export class AuthHeaderMissingException extends apiExceptionClass(builtInError('auth.header.missing')) {}
export class AuthHeaderInvalidException extends apiExceptionClass(builtInError('auth.header.invalid')) {}
export class TokenExpiredException extends apiExceptionClass(builtInError('auth.token.expired')) {}
export class TokenInvalidException extends apiExceptionClass(builtInError('auth.token.invalid')) {}
export class SignatureInvalidException extends apiExceptionClass(builtInError('auth.signature.invalid')) {}
export class SignatureExpiredException extends apiExceptionClass(builtInError('auth.signature.expired')) {}
export class CaptchaMissingException extends apiExceptionClass(builtInError('auth.captcha.missing')) {}
export class CaptchaInvalidException extends apiExceptionClass(builtInError('auth.captcha.invalid')) {}
export class SessionInvalidException extends apiExceptionClass(builtInError('auth.session.invalid')) {}
export class PasswordInvalidException extends apiExceptionClass(builtInError('auth.password.invalid')) {}
export class OtpInvalidException extends apiExceptionClass(builtInError('auth.otp.invalid')) {}
export class BackupCodeInvalidException extends apiExceptionClass(builtInError('auth.backupcode.invalid')) {}
export class MemorableLettersInvalidException extends apiExceptionClass(builtInError('auth.memorable.invalid')) {}
export class ControlAnswerInvalidException extends apiExceptionClass(builtInError('auth.controlanswer.invalid')) {}
export class DisclaimerInvalidException extends apiExceptionClass(builtInError('auth.disclaimer.invalid')) {}
export class OAuthFailedException extends apiExceptionClass(builtInError('auth.oauth.failed')) {}
// 403
export class UserRestrictedException extends apiExceptionClass(builtInError('auth.user.restricted')) {}
export class UserClosedException extends apiExceptionClass(builtInError('auth.user.closed')) {}
export class UserDeniedException extends apiExceptionClass(builtInError('auth.user.denied')) {}
export class AccessRestrictedException extends apiExceptionClass(builtInError('auth.restricted')) {}
export class RecoveryQuestionNotSetException extends apiExceptionClass(builtInError('recovery.question.notset')) {}
export class RecoveryPhoneNotSetException extends apiExceptionClass(builtInError('recovery.phone.notset')) {}
export class RecoveryEmailNotSetException extends apiExceptionClass(builtInError('recovery.email.notset')) {}
export class RecoveryMethodRestrictedException extends apiExceptionClass(builtInError('recovery.method.restricted')) {}
export class ProfileIdentifierUsedException extends apiExceptionClass(builtInError('profile.identifier.used')) {}
export class ProfileIdentifierInvalidException extends apiExceptionClass(builtInError('profile.identifier.invalid')) {}
export class OAuthIdentifierUsedException extends apiExceptionClass(builtInError('oauth.identifier.used')) {}
export class ObjectLimitExceededException extends apiExceptionClass(builtInError('object.limit.exceeded')) {}
export class MemberDataInvalidException extends apiExceptionClass(builtInError('member.data.invalid')) {}
export class SearchTypeRestrictedException extends apiExceptionClass(builtInError('search.type.restricted')) {}
// 404
export class OAuthUserNotFoundException extends apiExceptionClass(builtInError('auth.oauth.notfound')) {}
export class LoginIdNotFoundException extends apiExceptionClass(builtInError('auth.loginid.notfound')) {}
export class ObjectIdNotFoundException extends apiExceptionClass(builtInError('object.id.notfound')) {}
// 422
export class RequestValidationFailedException extends apiExceptionClass(builtInError('request.validation.failed')) {}

/**
 * How the client re-authenticates a critical change: the user's password, or an SMS one-time password
 * (the values the catalogue declares for `critical_auth_method`).
 */
export type CriticalAuthMethod = ApiErrorBody<'critical.auth.required'>['critical_auth_method'];

const criticalAuthRequired = builtInError('critical.auth.required');

/**
 * 403 `critical.auth.required`: the request changes something critical and must be repeated with the
 * `password` or `otp` field; `critical_auth_method` tells the client which.
 */
export class CriticalAuthRequiredException extends ApiException {
  static readonly code = criticalAuthRequired.code;
  declare readonly code: typeof criticalAuthRequired.code;
  /** The method the client must use. */
  readonly method: CriticalAuthMethod;

  constructor(method: CriticalAuthMethod, messages?: ApiErrorMessagesInput, options: ApiExceptionOptions = {}) {
    // typed by the catalogue's declaration: renaming the field there breaks this line
    const declared: Pick<ApiErrorBody<'critical.auth.required'>, 'critical_auth_method'> = {
      critical_auth_method: method,
    };
    super(criticalAuthRequired, messages, { ...options, fields: { ...options.fields, ...declared } });
    this.method = method;
  }
}
