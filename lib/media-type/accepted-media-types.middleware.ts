import type { IncomingMessage } from 'node:http';
import { MediaTypeUnsupportedException } from '../exceptions/extension.exceptions.js';

type Next = (error?: unknown) => void;

/**
 * On Express, answers a request body of a media type the API does not read with 415
 * `request.mediatype.unsupported`. Express would hand such a request to the handler with no body,
 * where Fastify refuses it; with this check both adapters answer alike.
 *
 * It is a plain Express middleware (registered with `HttpServer.use()` while Nest sets up middleware,
 * so before every route), not a Nest middleware: it costs a header look-up per request, not a trip
 * through Nest's middleware machinery. Its error goes through Nest's error handler to the filter.
 */
export function acceptedMediaTypes(
  types: readonly string[],
): (request: IncomingMessage, response: unknown, next: Next) => void {
  const accepted: ReadonlySet<string> = new Set(types.map(type => type.toLowerCase()));
  return function acceptedMediaTypesMiddleware(request: IncomingMessage, _response: unknown, next: Next): void {
    const { headers } = request;
    const hasBody =
      (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
      headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      const contentType = headers['content-type'] ?? '';
      const separator = contentType.indexOf(';');
      const essence = (separator === -1 ? contentType : contentType.slice(0, separator)).trim().toLowerCase();
      if (!accepted.has(essence)) {
        next(new MediaTypeUnsupportedException());
        return;
      }
    }
    next();
  };
}
