import { SetMetadata, UseGuards, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import {
  AUTHORIZATION_SCHEMES_METADATA,
  REQUIRE_API_KEY_METADATA,
  REQUIRE_CAPTCHA_METADATA,
  REQUIRE_CRITICAL_AUTH_METADATA,
  REQUIRED_DISCLAIMERS_METADATA,
} from '../internal.constants.js';
import { ApiAccessGuard } from './api-access.guard.js';
import type { AuthorizationScheme } from './authorization/authorization-scheme.js';
import { httpRequest } from './guard-request.js';
import { accessRecord } from './request-access.js';

/** Where `ApiAccessGuard` is attached already: a target gets it once, however many decorators it has. */
const guarded = new WeakSet<object>();

function requireAccess(key: symbol, value: unknown): MethodDecorator & ClassDecorator {
  const decorator = (target: object, property?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor !== undefined) {
      SetMetadata(key, value)(target, property as string | symbol, descriptor);
    } else {
      SetMetadata(key, value)(target as never);
    }
    const holder = (descriptor?.value ?? target) as object;
    if (!guarded.has(holder)) {
      guarded.add(holder);
      if (descriptor !== undefined) {
        UseGuards(ApiAccessGuard)(target, property as string | symbol, descriptor);
      } else {
        UseGuards(ApiAccessGuard)(target as never);
      }
    }
  };
  return decorator as MethodDecorator & ClassDecorator;
}

/**
 * Requires the client application's API key (`X-Api-Key`): 401 `auth.apikey.missing` /
 * `auth.apikey.invalid`. On a route or a controller.
 */
export function RequireApiKey(): MethodDecorator & ClassDecorator {
  return requireAccess(REQUIRE_API_KEY_METADATA, true);
}

export interface RequireAuthorizationOptions {
  /** The schemes the route accepts. @default both that are configured */
  schemes?: readonly AuthorizationScheme[];
}

/**
 * Requires `Authorization: Bearer …` or `Signature …` and a principal in good standing: 401
 * `auth.header.*`, `auth.token.*`, `auth.signature.*`; 403 `auth.user.*`.
 *
 * @example
 * @Post('payments') @RequireAuthorization({ schemes: ['signature'] })
 */
export function RequireAuthorization(options: RequireAuthorizationOptions = {}): MethodDecorator & ClassDecorator {
  return requireAccess(AUTHORIZATION_SCHEMES_METADATA, options.schemes ?? null);
}

/** Requires a solved captcha in `captcha_response`: 401 `auth.captcha.missing` / `auth.captcha.invalid`. */
export function RequireCaptcha(): MethodDecorator & ClassDecorator {
  return requireAccess(REQUIRE_CAPTCHA_METADATA, true);
}

/** Requires `accept_disclaimers` to list every one of these ids: 401 `auth.disclaimer.invalid`. */
export function RequireDisclaimers(...ids: string[]): MethodDecorator & ClassDecorator {
  return requireAccess(REQUIRED_DISCLAIMERS_METADATA, ids);
}

/**
 * Requires critical-change re-authentication (`password` or an SMS `otp`, as the policy chooses), after
 * authorization, which it implies: 403 `critical.auth.required`, 401 `auth.otp.invalid` /
 * `auth.password.invalid`, 429 `request.rate.exceeded`.
 *
 * @example
 * @Put('profile/email') @CriticalAuth()
 */
export function CriticalAuth(): MethodDecorator & ClassDecorator {
  return requireAccess(REQUIRE_CRITICAL_AUTH_METADATA, true);
}

/** The client application `ApiKeyGuard` found for the request's API key. */
export const ClientApp = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => accessRecord(httpRequest(context)).client,
);

/** The principal `AuthorizationGuard` authenticated. */
export const AuthPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => accessRecord(httpRequest(context)).principal,
);
