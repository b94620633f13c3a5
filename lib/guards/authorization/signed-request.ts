import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import { MediaTypeUnsupportedException } from '../../exceptions/extension.exceptions.js';
import { hasBody, mediaType, pathAndQuery, type GuardRequest } from '../guard-request.js';
import type { SignedRequest } from './signature-verifier.interface.js';

/** The media types whose raw bytes Nest keeps with `rawBody: true` (its JSON and urlencoded parsers). */
const RAW_BODY_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/x-www-form-urlencoded']);

/**
 * What the signature of a request covers: its method, path and query as sent, and its body's raw bytes.
 * A body whose bytes Nest does not keep → 415 `request.mediatype.unsupported`; a JSON or form body
 * without them → a configuration error (500, logged with the fix).
 */
export function signedRequest(request: GuardRequest): SignedRequest {
  if (request.rawBody === undefined && hasBody(request)) {
    if (!RAW_BODY_MEDIA_TYPES.has(mediaType(request))) {
      // Nest keeps no raw bytes of such a body (text, multipart, …), even with rawBody: true: the
      // signature cannot be checked, so the media type is refused before any crypto, and not logged
      // as a server fault (anyone could fill the error log with such requests).
      throw new MediaTypeUnsupportedException();
    }
    // A JSON or form body without its raw bytes: the application was not created with rawBody: true.
    // Say so, rather than refuse every client with auth.signature.invalid.
    throw ApiErrorsConfigurationError.create(
      'a signed request has a body but the raw body is not available',
      'Create the application with NestFactory.create(AppModule, { rawBody: true })',
    );
  }
  const { path, query } = pathAndQuery(request);
  const body = request.rawBody ?? Buffer.alloc(0);
  return { method: request.method, path, query, body };
}
