import type { ApiErrorDefinition } from './api-error-definition.interface.js';

/** The contract's 403 Forbidden, 404 Not Found and 422 Unprocessable Entity codes, worded as the contract words them. */
export const CONTRACT_403_TO_422_ERRORS = {
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
} as const satisfies Record<string, ApiErrorDefinition>;
