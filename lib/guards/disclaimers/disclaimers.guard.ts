import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DisclaimerInvalidException } from '../../exceptions/contract.exceptions.js';
import { bodyField, httpRequest, removeBodyField } from '../guard-request.js';

/** Metadata key: the disclaimer ids a route requires. */
export const REQUIRED_DISCLAIMERS_METADATA = 'nestjs-api-errors:required-disclaimers';

/** The body field that lists the accepted disclaimers. */
export const DISCLAIMERS_FIELD = 'accept_disclaimers';

/**
 * Requires the `accept_disclaimers` body field to list every disclaimer id of
 * `@RequireDisclaimers(...ids)`; otherwise 401 `auth.disclaimer.invalid`, whose messages name the
 * missing ids. The field is removed from the body once checked.
 */
@Injectable()
export class DisclaimersGuard implements CanActivate {
  constructor(protected readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required =
      this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_DISCLAIMERS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    if (required.length === 0) {
      return true;
    }
    const request = httpRequest(context);
    const accepted = bodyField(request, DISCLAIMERS_FIELD);
    removeBodyField(request, DISCLAIMERS_FIELD);
    const acceptedIds = new Set(
      Array.isArray(accepted) ? accepted.filter((id): id is string => typeof id === 'string') : [],
    );
    const missing = required.filter(id => !acceptedIds.has(id));
    if (missing.length > 0) {
      throw new DisclaimerInvalidException({
        [DISCLAIMERS_FIELD]: missing.map(id => `Disclaimer "${id}" must be accepted.`),
      });
    }
    return true;
  }
}
