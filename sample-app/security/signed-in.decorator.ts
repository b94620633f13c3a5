import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ApiErrorCodes,
  RequireApiKey,
  RequireAuthorization,
  SessionInvalidException,
  requestAccess,
  type ClientApplication,
} from 'nestjs-api-errors';
import type { SessionPrincipal, SessionState } from './sessions.service.js';

const SESSION_STATE = 'sample:session-state';

/**
 * A route for a signed-in user: API key, Bearer session token, and a session in the given state
 * (`active` by default; the second-factor steps take a session that is still `second_factor`).
 * The session must belong to the client application whose key came with it.
 */
export function SignedIn(state: SessionState = 'active'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RequireApiKey(),
    RequireAuthorization({ schemes: ['bearer'] }),
    SetMetadata(SESSION_STATE, state),
    UseGuards(SessionStateGuard),
  );
}

/** Throws `auth.session.invalid` unless the session may be used for this request. */
export function assertSession(principal: SessionPrincipal, state: SessionState, client?: ClientApplication): void {
  if (client !== undefined && principal.clientId !== client.id) {
    throw new SessionInvalidException(['This session belongs to another client application.']);
  }
  if (principal.sessionState !== state) {
    throw new SessionInvalidException(
      state === 'active'
        ? ['Complete the second factor of this session first.']
        : ['This session has completed its second factor already.'],
    );
  }
}

/** Runs after `ApiAccessGuard` (which `SignedIn` puts first) and checks the session's state. */
@Injectable()
@ApiErrorCodes('auth.session.invalid')
export class SessionStateGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const state =
      this.reflector.getAllAndOverride<SessionState | undefined>(SESSION_STATE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'active';
    const { principal, client } = requestAccess(context.switchToHttp().getRequest<object>());
    assertSession(principal as SessionPrincipal, state, client);
    return true;
  }
}
