import type { ApiErrorCode } from './api-error-catalogue.js';

/**
 * What a client should do when it receives each built-in code: one short sentence per code, written for
 * the people who build API clients. Kept beside the catalogue, and typed by its codes, so that a code
 * added without its sentence does not compile; the reference page (docs/codes.md, `npm run docs:codes`)
 * shows them, and the OpenAPI descriptions can too.
 */
export const CLIENT_ACTIONS: Readonly<Record<ApiErrorCode, string>> = {
  // 401
  'auth.apikey.missing': 'Send the client application’s API key in the X-Api-Key header and repeat the request.',
  'auth.apikey.invalid':
    'Check the API key the application is configured with; do not retry with the same key, it will fail again.',
  'auth.header.missing': 'Sign in (or sign the request) and repeat it with the Authorization header.',
  'auth.header.invalid': 'Send the Authorization header as `Bearer <auth_token>` or `Signature <signature>`.',
  'auth.token.expired': 'Refresh the authentication token (or sign in again) and repeat the request with the new one.',
  'auth.token.invalid': 'Discard the token and sign in again; repeating the request with it will fail again.',
  'auth.signature.invalid':
    'Check how the request is signed (key, signed parts, encoding); do not retry the same signature.',
  'auth.signature.expired': 'Sign the request again with the current time and send it at once.',
  'auth.captcha.missing': 'Show the captcha and repeat the request with its answer in `captcha_response`.',
  'auth.captcha.invalid': 'Show a fresh captcha and repeat the request with its new answer in `captcha_response`.',
  'auth.session.invalid': 'Start the flow again from its first step (sign in anew), then repeat the request.',
  'auth.password.invalid':
    'Ask the user for the password again; repeated failures may lock the account out for a while.',
  'auth.otp.invalid': 'Ask the user for the one-time password again, or request a new one if it has expired.',
  'auth.backupcode.invalid': 'Ask the user for another of their backup codes; each code works once.',
  'auth.memorable.invalid': 'Ask the user again for the requested letters of their memorable word.',
  'auth.controlanswer.invalid': 'Ask the user to answer the control question again.',
  'auth.disclaimer.invalid':
    'Show the user the legal disclaimers still to accept, and repeat the request with them in `accept_disclaimers`.',
  'auth.oauth.failed': 'Let the user sign in with the OAuth provider again, then repeat the request.',
  // 403
  'auth.user.restricted': 'Tell the user their profile is restricted and how to contact support; do not retry.',
  'auth.user.closed': 'Sign the user out and tell them the profile is closed; do not retry.',
  'auth.user.denied': 'Tell the user the service is denied to them and how to contact support; do not retry.',
  'auth.restricted': 'Do not retry the same request: the data it presents is not allowed for this caller.',
  'recovery.question.notset': 'Offer the user another recovery method (phone or email).',
  'recovery.phone.notset': 'Offer the user another recovery method (email or security question).',
  'recovery.email.notset': 'Offer the user another recovery method (phone or security question).',
  'recovery.method.restricted': 'Offer the user another recovery method, or tell them to contact support.',
  'profile.identifier.used': 'Ask the user for another phone number or email address, or offer to sign in instead.',
  'profile.identifier.invalid': 'Ask the user to correct the phone number or email address, then repeat the request.',
  'oauth.identifier.used': 'Do not create the entry again: use the existing one for this OAuth user.',
  'object.limit.exceeded': 'Remove an existing object before adding another; retrying as it is will fail again.',
  'critical.auth.required':
    'Repeat the request with the field `critical_auth_method` names: the user’s `password`, or the `otp` sent to them.',
  'member.data.invalid': 'Ask the user to check the member data they entered, then repeat the request.',
  'search.type.restricted': 'Search for another object type; this one is not allowed for this caller.',
  // 404
  'auth.oauth.notfound': 'Offer the user to sign up, or to link the OAuth account to an existing profile.',
  'auth.loginid.notfound': 'Ask the user to check the login ID they entered.',
  'object.id.notfound': 'Check the id (it may have been deleted); refresh the list the id came from.',
  // 422
  'request.validation.failed': 'Fix the fields named in `messages` (each key is a field’s JSON name) and resend.',
  // extensions
  'request.route.notfound': 'Check the method and path against the API’s documentation; this is a client bug.',
  'request.method.notallowed':
    'Use one of the methods the Allow header lists for this path; repeating the same method will fail again.',
  'request.body.toolarge': 'Send a smaller body (split the data into several requests); do not retry as it is.',
  'request.mediatype.unsupported': 'Send the body as `application/json` in UTF-8, with that `Content-Type`.',
  'request.rate.exceeded': 'Wait the `retry_after` seconds (or the Retry-After header) before retrying.',
  'request.failed': 'Read `messages` and the HTTP status; do not retry the same request unchanged.',
  'server.unavailable': 'Retry later with exponential back-off; honour a Retry-After header when there is one.',
  'server.internal.error': 'Retry once later; if it persists, contact support quoting the `error_id`.',
};
