import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { CAPTCHA_FIELD } from '../../api-errors.constants.js';
import { CaptchaInvalidException, CaptchaMissingException } from '../../exceptions/contract.exceptions.js';
import { callDependency } from '../dependency-call.js';
import { bodyField, httpRequest, removeBodyField, type GuardRequest } from '../guard-request.js';
import { CAPTCHA_VERIFIER, type CaptchaVerifier } from './captcha-verifier.interface.js';

/**
 * Requires a solved captcha in the `captcha_response` body field: missing → 401 `auth.captcha.missing`;
 * refused by the provider → 401 `auth.captcha.invalid`; provider unreachable, slow or answering
 * nonsense → 503 `server.unavailable` (fail closed). The field is removed from the body once used.
 * Each step is a protected method, to override in a subclass registered in its place.
 */
@Injectable()
export class CaptchaGuard implements CanActivate {
  constructor(@Inject(CAPTCHA_VERIFIER) protected readonly verifier: CaptchaVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context);
    const response = this.readResponse(request);
    if (response === undefined || response === null || response === '') {
      throw new CaptchaMissingException();
    }
    if (typeof response !== 'string' || !(await this.verify(response, request))) {
      throw new CaptchaInvalidException();
    }
    return true;
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** Takes the captcha response out of the body (removed, so that a whitelisting pipe does not refuse it). */
  protected readResponse(request: GuardRequest): unknown {
    const response = bodyField(request, CAPTCHA_FIELD);
    removeBodyField(request, CAPTCHA_FIELD);
    return response;
  }

  /** Whether the provider accepts the response for the client's address; 503 when it cannot answer. */
  protected async verify(response: string, request: GuardRequest): Promise<boolean> {
    return callDependency(() => this.verifier.verify(response, request.ip));
  }
}
