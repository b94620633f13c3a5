import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { RESOLVED_OPTIONS, type ResolvedApiErrorsOptions } from '../../options/resolved-options.provider.js';
import { ApiKeyInvalidException, ApiKeyMissingException } from '../../exceptions/contract.exceptions.js';
import { callDependency, whenDone } from '../dependency-call.js';
import { httpRequest, type GuardRequest } from '../guard-request.js';
import { accessRecord } from '../request-access.js';
import type { ClientApplication } from '../principal.interface.js';
import { API_KEY_VALIDATOR, type ApiKeyValidator } from './api-key-validator.interface.js';

/**
 * Requires the client application's API key in `X-Api-Key`: missing or empty → 401
 * `auth.apikey.missing`; unknown, revoked or malformed → 401 `auth.apikey.invalid`. The client
 * application is then available to handlers through `@ClientApp()`. Each step is a protected method, to
 * override in a subclass registered in its place.
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
    const key = this.readKey(request);
    if (key === '') {
      throw new ApiKeyMissingException();
    }
    return whenDone(this.validate(key), client => {
      if (client === null || client === undefined) {
        throw new ApiKeyInvalidException();
      }
      accessRecord(request).client = client;
      return true;
    });
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** The key the request presents, trimmed (`''` when none; two headers join into one invalid key). */
  protected readKey(request: GuardRequest): string {
    const value = request.headers[this.header];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
  }

  /** The key's client application (`null` when unknown) from the validator; 503 when it cannot answer. */
  protected validate(key: string): ClientApplication | null | Promise<ClientApplication | null> {
    return callDependency(() => this.validator.validate(key));
  }
}
