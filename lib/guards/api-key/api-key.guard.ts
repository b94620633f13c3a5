import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { RESOLVED_OPTIONS, type ResolvedApiErrorsOptions } from '../../options/resolved-options.provider.js';
import { DEFAULT_API_KEY_HEADER } from '../../api-errors.constants.js';
import { ApiKeyInvalidException, ApiKeyMissingException } from '../../exceptions/contract.exceptions.js';
import { callDependency, whenDone } from '../dependency-call.js';
import { httpRequest, type GuardRequest } from '../guard-request.js';
import { CLIENT_APPLICATION_KEY } from '../principal.interface.js';
import { API_KEY_VALIDATOR, type ApiKeyValidator } from './api-key-validator.interface.js';

export { DEFAULT_API_KEY_HEADER };

/**
 * Requires the client application's API key in `X-Api-Key`: missing or empty → 401
 * `auth.apikey.missing`; unknown, revoked or malformed → 401 `auth.apikey.invalid`. The client
 * application is then available to handlers through `@ClientApp()`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  protected readonly header: string;

  constructor(
    @Inject(API_KEY_VALIDATOR) protected readonly validator: ApiKeyValidator,
    @Inject(RESOLVED_OPTIONS) options: ResolvedApiErrorsOptions,
  ) {
    this.header = options.apiKey.header.toLowerCase();
  }

  /** Synchronous when the validator is (the default one is): no promise on the hot path. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    const value = request.headers[this.header];
    const key = (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
    if (key === '') {
      throw new ApiKeyMissingException();
    }
    return whenDone(
      callDependency(() => this.validator.validate(key)),
      client => {
        if (client === null || client === undefined) {
          throw new ApiKeyInvalidException();
        }
        request[CLIENT_APPLICATION_KEY] = client;
        return true;
      },
    );
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }
}
