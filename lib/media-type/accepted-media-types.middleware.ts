import { Inject, Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DEFAULT_ACCEPTED_MEDIA_TYPES } from '../api-errors.constants.js';
import type { ApiErrorsModuleOptions } from '../api-errors-options.interface.js';
import { API_ERRORS_MODULE_OPTIONS } from '../api-errors.module-definition.js';
import { MediaTypeUnsupportedException } from '../exceptions/extension.exceptions.js';

/**
 * On Express, answers a request body of a media type the API does not read with 415
 * `request.mediatype.unsupported`. Express would hand such a request to the handler with no body,
 * where Fastify refuses it; with this middleware both adapters answer alike.
 */
@Injectable()
export class AcceptedMediaTypesMiddleware implements NestMiddleware<IncomingMessage> {
  private readonly accepted: ReadonlySet<string>;

  constructor(@Inject(API_ERRORS_MODULE_OPTIONS) options: ApiErrorsModuleOptions) {
    const list = options.acceptedMediaTypes === false ? [] : (options.acceptedMediaTypes ?? DEFAULT_ACCEPTED_MEDIA_TYPES);
    this.accepted = new Set(list.map(type => type.toLowerCase()));
  }

  use(request: IncomingMessage, _response: unknown, next: (error?: unknown) => void): void {
    const { headers } = request;
    const hasBody = (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      const contentType = headers['content-type'] ?? '';
      const separator = contentType.indexOf(';');
      const essence = (separator === -1 ? contentType : contentType.slice(0, separator)).trim().toLowerCase();
      if (!this.accepted.has(essence)) {
        next(new MediaTypeUnsupportedException());
        return;
      }
    }
    next();
  }
}
