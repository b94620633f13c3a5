import { HttpException, NotFoundException } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { builtInError, type ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import { normalizeMessages, type ApiErrorMessages } from '../exceptions/api-error-messages.js';
import { ApiException } from '../exceptions/api.exception.js';
import type { ResolvedError } from './resolved-error.interface.js';

/** Said for every malformed JSON body, whichever parser found it, so both adapters answer alike. */
export const INVALID_JSON_MESSAGE = 'Request body is not valid JSON.';

/** Said when the client stops sending the body before its declared length (it went away, as a rule). */
export const INCOMPLETE_BODY_MESSAGE = 'Request body ended before the length it declared.';

/** Said for a request URL whose percent-encoding cannot be decoded. */
export const INVALID_URL_MESSAGE = 'Request URL is not correctly percent-encoded.';

/**
 * Messages Nest (and @nestjs/throttler) put in their exceptions by default: they say nothing the
 * code's own message does not say better.
 */
const NEST_DEFAULT_MESSAGES = new Set([
  'Forbidden resource',
  'ThrottlerException: Too Many Requests',
  ...Object.values(STATUS_CODES),
]);

/** What the body parsers of Express and Fastify throw, reduced to what the contract tells apart. */
type ParserFailure = 'invalid-json' | 'too-large' | 'media-type' | 'invalid-url' | 'aborted';

/**
 * Turns anything thrown while serving an HTTP request into the code, status and messages the client
 * gets (the table "What every failure becomes" in the README). Pure but for reading the request's method and URL; never throws.
 */
export function resolveError(
  exception: unknown,
  request: unknown,
  adapter: HttpServer | undefined,
  registry: ApiErrorRegistry,
): ResolvedError {
  if (exception instanceof ApiException) {
    const status = exception.getStatus();
    return {
      status,
      code: exception.code,
      messages: status >= 500 ? defaultMessages(registry.get(exception.code)) : exception.messages,
      fields: exception.fields,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    return resolveHttpException(exception, request, adapter, registry);
  }
  const failure = parserFailure(exception);
  if (failure !== undefined) {
    return fromParserFailure(failure);
  }
  const status = httpErrorStatus(exception);
  if (status !== undefined && status < 500) {
    return fromStatus(status, undefined);
  }
  return serverFault(status ?? 500);
}

function resolveHttpException(
  exception: HttpException,
  request: unknown,
  adapter: HttpServer | undefined,
  registry: ApiErrorRegistry,
): ResolvedError {
  const status = exception.getStatus();
  const known = exception.errorCode === undefined ? undefined : registry.get(exception.errorCode);
  if (known !== undefined) {
    const keepsStatus = known.code === 'request.failed' || known.code === 'server.internal.error';
    const finalStatus = keepsStatus ? status : known.status;
    return {
      status: finalStatus,
      code: known.code,
      messages: finalStatus >= 500 ? defaultMessages(known) : (exceptionMessages(exception) ?? defaultMessages(known)),
      fields: {},
    };
  }
  const failure = parserFailure(exception.cause);
  if (failure !== undefined) {
    return fromParserFailure(failure);
  }
  if (status === 404 && exception instanceof NotFoundException && isRouteNotFound(exception, request, adapter)) {
    return fromCode('request.route.notfound');
  }
  return fromStatus(status, exception);
}

/** A 4xx or 5xx status, mapped to the code the README's failure table gives it. */
function fromStatus(status: number, exception: HttpException | undefined): ResolvedError {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    return serverFault(500);
  }
  const messages = exception === undefined ? undefined : exceptionMessages(exception);
  switch (status) {
    case 400:
      return fromCode('request.validation.failed', messages);
    case 401:
      return fromCode('auth.token.invalid', messages);
    case 403:
      return fromCode('auth.restricted', messages);
    case 404:
      return fromCode('object.id.notfound', messages);
    case 413:
      return fromCode('request.body.toolarge');
    case 415:
      return fromCode('request.mediatype.unsupported');
    case 422:
      return fromCode('request.validation.failed', messages);
    case 429:
      return fromCode('request.rate.exceeded', messages);
    case 503:
      return fromCode('server.unavailable');
    default:
      return status >= 500 ? serverFault(status) : { ...fromCode('request.failed', messages), status };
  }
}

function fromParserFailure(failure: ParserFailure): ResolvedError {
  switch (failure) {
    case 'invalid-json':
      return fromCode('request.validation.failed', [INVALID_JSON_MESSAGE]);
    case 'invalid-url':
      return fromCode('request.validation.failed', [INVALID_URL_MESSAGE]);
    case 'too-large':
      return fromCode('request.body.toolarge');
    case 'aborted':
      return { ...fromCode('request.failed', [INCOMPLETE_BODY_MESSAGE]), status: 400 };
    case 'media-type':
      return fromCode('request.mediatype.unsupported');
  }
}

function serverFault(status: number): ResolvedError {
  return status === 503 ? fromCode('server.unavailable') : { ...fromCode('server.internal.error'), status };
}

function fromCode(code: ApiErrorCode, messages?: ApiErrorMessages): ResolvedError {
  const entry = builtInError(code);
  return { status: entry.status, code, messages: messages ?? [entry.message], fields: {} };
}

function defaultMessages(entry: ApiErrorEntry | undefined): ApiErrorMessages {
  return [entry?.message ?? builtInError('server.internal.error').message];
}

/**
 * The messages a foreign `HttpException` carries, when they say more than its status: a string, a list
 * (Nest's `ValidationPipe`), or fields (its `errorFormat: 'grouped'`).
 */
function exceptionMessages(exception: HttpException): ApiErrorMessages | undefined {
  const response = exception.getResponse();
  const raw =
    typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (typeof raw === 'string' && NEST_DEFAULT_MESSAGES.has(raw)) {
    return undefined;
  }
  return normalizeMessages(raw);
}

/**
 * Nest answers a request no route matches with `NotFoundException("Cannot <METHOD> <url>")` from its
 * router; a `NotFoundException` from application code is `object.id.notfound` instead.
 */
function isRouteNotFound(exception: NotFoundException, request: unknown, adapter: HttpServer | undefined): boolean {
  if (adapter === undefined || request === undefined || exception.cause !== undefined) {
    return false;
  }
  try {
    return (
      exception.message ===
      `Cannot ${String(adapter.getRequestMethod?.(request))} ${String(adapter.getRequestUrl?.(request))}`
    );
  } catch {
    return false;
  }
}

/**
 * Recognises what body-parser (Express) and Fastify's content-type parsers throw, directly or as the
 * `cause` of the `HttpException` Nest wraps them in. Their messages differ by adapter and may quote
 * the body, so the contract's own messages replace them.
 */
function parserFailure(error: unknown): ParserFailure | undefined {
  if (error === null || typeof error !== 'object') {
    return undefined;
  }
  const { type, code, status, statusCode } = error as {
    type?: unknown;
    code?: unknown;
    status?: unknown;
    statusCode?: unknown;
  };
  switch (type) {
    case 'entity.parse.failed':
      return 'invalid-json';
    case 'entity.too.large':
      return 'too-large';
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return 'media-type';
    case 'request.aborted':
      return 'aborted'; // raw-body (Express): the client closed before the whole body came
  }
  switch (code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid-json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'too-large';
    case 'FST_ERR_BAD_URL':
      return 'invalid-url'; // Fastify's router, through apiErrorsFastifyOptions()
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return 'media-type';
  }
  if (code === 'ECONNRESET' && (error as { message?: unknown }).message === 'aborted') {
    return 'aborted'; // Node's request stream, as Fastify's body reader passes it on (status 400 added)
  }
  const parserStatus = statusCode ?? status;
  if (error instanceof SyntaxError && parserStatus === 400) {
    return 'invalid-json'; // Fastify's JSON parser (secure-json-parse), prototype poisoning included
  }
  if (error instanceof URIError && parserStatus === 400) {
    return 'invalid-url';
  }
  return undefined;
}

/**
 * The status of an error made for HTTP: an http-errors error (`expose` and equal `status` and
 * `statusCode`) or a FastifyError. Other errors that happen to carry a `status` (an HTTP client's
 * error for an upstream call, say) are server faults.
 */
function httpErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const { statusCode, status, expose } = error as { statusCode?: unknown; status?: unknown; expose?: unknown };
  const isHttpError = typeof expose === 'boolean' && statusCode === status;
  const isFastifyError = error.name === 'FastifyError';
  const isValid =
    typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599;
  return (isHttpError || isFastifyError) && isValid ? statusCode : undefined;
}
