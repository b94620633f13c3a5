import type { ExecutionContext, Type } from '@nestjs/common';
import { CAPTCHA_FIELD, DISCLAIMERS_FIELD, OTP_FIELD, PASSWORD_FIELD, TOKEN_FIELD } from '../api-errors.constants.js';
import type { ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import {
  AUTHORIZATION_SCHEMES_METADATA,
  REQUIRE_API_KEY_METADATA,
  REQUIRE_CAPTCHA_METADATA,
  REQUIRE_CRITICAL_AUTH_METADATA,
  REQUIRED_DISCLAIMERS_METADATA,
} from '../internal.constants.js';
import { ApiKeyGuard } from './api-key/api-key.guard.js';
import { AuthorizationGuard } from './authorization/authorization.guard.js';
import { authorizationErrorCodes, type AuthorizationScheme } from './authorization/authorization-scheme.js';
import { CaptchaGuard } from './captcha/captcha.guard.js';
import { CriticalAuthGuard } from './critical-auth/critical-auth.guard.js';
import { DisclaimersGuard } from './disclaimers/disclaimers.guard.js';

/** A guard `ApiAccessGuard` runs: it answers now (a boolean) or later (a promise), or throws its refusal. */
export interface AccessGuard {
  canActivate(context: ExecutionContext): boolean | Promise<boolean>;
}

/** A request body field an access check reads (and removes before validation), as OpenAPI documents it. */
export interface AccessBodyField {
  readonly schema: Readonly<Record<string, unknown>>;
  /** Whether the check refuses a request without it. */
  readonly required: boolean;
}

/** One access check: what asks for it, what runs it, and what it can answer. */
export interface AccessCheck {
  /** The metadata key its decorator sets on a route or a controller (the route's value wins). */
  readonly metadata: symbol;
  /** Metadata keys of other checks that require this one too (a critical change needs to know who makes it). */
  readonly impliedBy?: readonly symbol[];
  /** The guard that runs it, from the module's injector (so a subclass registered in its place runs instead). */
  readonly guard: Type<AccessGuard>;
  /**
   * The codes it can answer with, given its decorator's value (`undefined` when it is only implied); each
   * a catalogue code, whose status the catalogue gives.
   */
  readonly codes: (value: unknown) => readonly ApiErrorCode[];
  /** The body fields it reads, given its decorator's value: documented in the route's request body. */
  readonly bodyFields?: (value: unknown) => Readonly<Record<string, AccessBodyField>>;
}

/**
 * Every access check, in the order a route runs them whatever the order of its decorators, so that a
 * client learns first what it must fix first. `ApiAccessGuard` plans each route from it and
 * `routeErrorCodes()` documents each route from it: adding a check is one entry here (and its decorator).
 */
export const ACCESS_CHECKS: readonly AccessCheck[] = [
  {
    metadata: REQUIRE_API_KEY_METADATA,
    guard: ApiKeyGuard,
    codes: () => ['auth.apikey.missing', 'auth.apikey.invalid'],
  },
  {
    metadata: AUTHORIZATION_SCHEMES_METADATA,
    impliedBy: [REQUIRE_CRITICAL_AUTH_METADATA],
    guard: AuthorizationGuard,
    codes: schemes => authorizationErrorCodes(schemes as readonly AuthorizationScheme[] | null | undefined),
    bodyFields: (schemes): Record<string, AccessBodyField> =>
      Array.isArray(schemes) && !schemes.includes('bearer')
        ? {}
        : { [TOKEN_FIELD]: optionalText('The Bearer token, for a client that cannot send an Authorization header.') },
  },
  {
    metadata: REQUIRE_CAPTCHA_METADATA,
    guard: CaptchaGuard,
    codes: () => ['auth.captcha.missing', 'auth.captcha.invalid'],
    bodyFields: () => ({
      [CAPTCHA_FIELD]: {
        schema: { type: 'string', description: 'The captcha provider’s response token.' },
        required: true,
      },
    }),
  },
  {
    metadata: REQUIRED_DISCLAIMERS_METADATA,
    guard: DisclaimersGuard,
    codes: () => ['auth.disclaimer.invalid'],
    bodyFields: ids => ({
      [DISCLAIMERS_FIELD]: {
        schema: {
          type: 'array',
          items: { type: 'string' },
          description: `The ids of the disclaimers the user accepts; it must list ${(ids as string[]).map(id => `\`${id}\``).join(', ')}.`,
        },
        required: true,
      },
    }),
  },
  {
    metadata: REQUIRE_CRITICAL_AUTH_METADATA,
    guard: CriticalAuthGuard,
    codes: () => ['critical.auth.required', 'auth.password.invalid', 'auth.otp.invalid', 'request.rate.exceeded'],
    bodyFields: () => ({
      [PASSWORD_FIELD]: optionalText(
        'The user’s current password, when `critical.auth.required` asked for `password`.',
      ),
      [OTP_FIELD]: optionalText('The one-time password sent by SMS, when `critical.auth.required` asked for `otp`.'),
    }),
  },
];

function optionalText(description: string): AccessBodyField {
  return { schema: { type: 'string', description }, required: false };
}

/** What a route with any check can answer too: every guard fails closed when a dependency cannot answer. */
export const ACCESS_FAILURE_CODES: readonly ApiErrorCode[] = ['server.unavailable'];

/** One check a route requires, with its decorator's value (`undefined` when only implied). */
export interface RequiredAccessCheck {
  readonly check: AccessCheck;
  /** The index of the check in `ACCESS_CHECKS`. */
  readonly index: number;
  readonly value: unknown;
}

/**
 * The checks a route requires, in order, given how to read its metadata (the first of handler, controller
 * that has the key, as Nest's `Reflector.getAllAndOverride` reads it).
 */
export function requiredAccessChecks(read: (key: symbol) => unknown): RequiredAccessCheck[] {
  const required: RequiredAccessCheck[] = [];
  ACCESS_CHECKS.forEach((check, index) => {
    const value = read(check.metadata);
    if (value !== undefined || check.impliedBy?.some(key => read(key) !== undefined) === true) {
      required.push({ check, index, value });
    }
  });
  return required;
}

/** The codes the checks a route requires can answer with, in their order, then `ACCESS_FAILURE_CODES`. */
export function accessErrorCodes(read: (key: symbol) => unknown): ApiErrorCode[] {
  const required = requiredAccessChecks(read);
  if (required.length === 0) {
    return [];
  }
  return [...required.flatMap(({ check, value }) => check.codes(value)), ...ACCESS_FAILURE_CODES];
}
