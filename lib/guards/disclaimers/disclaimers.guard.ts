import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DISCLAIMERS_FIELD } from '../../api-errors.constants.js';
import { DisclaimerInvalidException } from '../../exceptions/contract.exceptions.js';
import { REQUIRED_DISCLAIMERS_METADATA } from '../../internal.constants.js';
import { bodyField, httpRequest, removeBodyField, type GuardRequest } from '../guard-request.js';

/**
 * Requires the `accept_disclaimers` body field to list every disclaimer id of
 * `@RequireDisclaimers(...ids)`; otherwise 401 `auth.disclaimer.invalid`, whose messages name the
 * missing ids. The field is removed from the body once checked. Each step is a protected method, to
 * override in a subclass registered in its place.
 */
@Injectable()
export class DisclaimersGuard implements CanActivate {
  constructor(protected readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.getRequired(context);
    if (required.length === 0) {
      return true;
    }
    const accepted = this.readAccepted(this.getRequest(context));
    const missing = required.filter(id => !accepted.has(id));
    if (missing.length > 0) {
      this.refuse(missing);
    }
    return true;
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** The disclaimer ids the route (or else its controller) requires. */
  protected getRequired(context: ExecutionContext): readonly string[] {
    return (
      this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_DISCLAIMERS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? []
    );
  }

  /** Takes the accepted ids out of the body (removed, so that a whitelisting pipe does not refuse them). */
  protected readAccepted(request: GuardRequest): ReadonlySet<string> {
    const accepted = bodyField(request, DISCLAIMERS_FIELD);
    removeBodyField(request, DISCLAIMERS_FIELD);
    return new Set(Array.isArray(accepted) ? accepted.filter((id): id is string => typeof id === 'string') : []);
  }

  /** Throws 401 `auth.disclaimer.invalid`, naming each missing disclaimer under the field. */
  protected refuse(missing: readonly string[]): never {
    throw new DisclaimerInvalidException({
      [DISCLAIMERS_FIELD]: missing.map(id => `Disclaimer "${id}" must be accepted.`),
    });
  }
}
