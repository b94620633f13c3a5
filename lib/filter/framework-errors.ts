import type { ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import { isErrorStatus } from '../catalogue/status-codes.js';
import { errorOfCode } from './error-of-code.js';
import type { ResolvedError } from './resolved-error.interface.js';

// What the frameworks under Nest throw by themselves (body-parser on Express, Fastify's parsers and
// router, http-errors, Node's HTTP parser), as tables: the shape of the error → the code, status and
// message the client gets. Their own messages differ by adapter and may quote the body, so the
// contract's messages replace them.

/** Said for every malformed JSON body, whichever parser found it, so both adapters answer alike. */
export const INVALID_JSON_MESSAGE = 'Request body is not valid JSON.';

/** Said when the client stops sending the body before its declared length (it went away, as a rule). */
export const INCOMPLETE_BODY_MESSAGE = 'Request body ended before the length it declared.';

/** Said for a request URL whose percent-encoding cannot be decoded. */
export const INVALID_URL_MESSAGE = 'Request URL is not correctly percent-encoded.';

/** What a framework's error becomes; `status` and `message` default to the code's own. */
export interface FrameworkErrorAnswer {
  readonly code: ApiErrorCode;
  readonly status?: number;
  readonly message?: string;
}

/** The properties the tables read: each framework sets some of them. */
export interface FrameworkErrorFields {
  readonly type?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly expose?: unknown;
  readonly name?: unknown;
}

const INVALID_JSON: FrameworkErrorAnswer = { code: 'request.validation.failed', message: INVALID_JSON_MESSAGE };
const INVALID_URL: FrameworkErrorAnswer = { code: 'request.validation.failed', message: INVALID_URL_MESSAGE };
const TOO_LARGE: FrameworkErrorAnswer = { code: 'request.body.toolarge' };
const MEDIA_TYPE: FrameworkErrorAnswer = { code: 'request.mediatype.unsupported' };
const INCOMPLETE_BODY: FrameworkErrorAnswer = { code: 'request.failed', status: 400, message: INCOMPLETE_BODY_MESSAGE };

/** body-parser and raw-body (Express), by the error's `type`. */
export const BODY_PARSER_ERRORS: ReadonlyMap<unknown, FrameworkErrorAnswer> = new Map([
  ['entity.parse.failed', INVALID_JSON],
  ['entity.too.large', TOO_LARGE],
  ['charset.unsupported', MEDIA_TYPE],
  ['encoding.unsupported', MEDIA_TYPE],
  ['request.aborted', INCOMPLETE_BODY], // the client closed before the whole body came
]);

/** Fastify's content-type parsers and router (through `apiErrorsFastifyOptions()`), by the error's `code`. */
export const FASTIFY_ERRORS: ReadonlyMap<unknown, FrameworkErrorAnswer> = new Map([
  ['FST_ERR_CTP_EMPTY_JSON_BODY', INVALID_JSON],
  ['FST_ERR_CTP_INVALID_JSON_BODY', INVALID_JSON],
  ['FST_ERR_CTP_BODY_TOO_LARGE', TOO_LARGE],
  ['FST_ERR_BAD_URL', INVALID_URL],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', MEDIA_TYPE],
  ['FST_ERR_CTP_INVALID_CONTENT_TYPE', MEDIA_TYPE],
]);

/** Errors told apart by their class and properties, not by a code of their own; the first match wins. */
export const FRAMEWORK_ERROR_SHAPES: readonly {
  readonly shape: string;
  matches(error: FrameworkErrorFields): boolean;
  readonly answer: FrameworkErrorAnswer;
}[] = [
  {
    shape: "Node's request stream cut short, as Fastify's body reader passes it on",
    matches: error => error.code === 'ECONNRESET' && error.message === 'aborted',
    answer: INCOMPLETE_BODY,
  },
  {
    shape: "a SyntaxError with status 400: Fastify's JSON parser (secure-json-parse), prototype poisoning included",
    matches: error => parserStatus(error) === 400 && error instanceof SyntaxError,
    answer: INVALID_JSON,
  },
  {
    shape: 'a URIError with status 400: a path that cannot be decoded',
    matches: error => parserStatus(error) === 400 && error instanceof URIError,
    answer: INVALID_URL,
  },
];

/** Node's HTTP parser, by the error's `code`; any other code it refuses a request with is `MALFORMED_REQUEST`. */
export const NODE_CLIENT_ERRORS: ReadonlyMap<unknown, FrameworkErrorAnswer> = new Map([
  ['HPE_HEADER_OVERFLOW', { code: 'request.failed', status: 431, message: 'The request header fields are too large.' }],
  ['ERR_HTTP_REQUEST_TIMEOUT', { code: 'request.failed', status: 408, message: 'The request did not arrive in time.' }],
]);

/** A request Node's HTTP parser refused for any other reason (a malformed request line or header). */
export const MALFORMED_REQUEST: FrameworkErrorAnswer = {
  code: 'request.failed',
  status: 400,
  message: 'The request is not valid HTTP/1.1.',
};

/**
 * What an error a body parser or Fastify's router threw becomes, directly or as the `cause` of the
 * `HttpException` Nest 12 wraps it in; `undefined` for any other value.
 */
export function resolveFrameworkError(error: unknown): ResolvedError | undefined {
  if (error === null || typeof error !== 'object') {
    return undefined;
  }
  const fields = error as FrameworkErrorFields;
  const answer =
    BODY_PARSER_ERRORS.get(fields.type) ??
    FASTIFY_ERRORS.get(fields.code) ??
    FRAMEWORK_ERROR_SHAPES.find(row => row.matches(fields))?.answer;
  return answer === undefined ? undefined : toResolvedError(answer);
}

/**
 * What a request Node's HTTP parser refused becomes: `request.failed` with 400, 431 or 408. No framework
 * has seen such a request.
 */
export function resolveClientError(error: unknown): ResolvedError {
  return toResolvedError(NODE_CLIENT_ERRORS.get((error as FrameworkErrorFields | null)?.code) ?? MALFORMED_REQUEST);
}

/**
 * The status of an error made for HTTP: an http-errors error (a boolean `expose`, equal `status` and
 * `statusCode`) or a FastifyError (`FST_ERR_MAX_PARAM_LENGTH` is 414). Other errors that happen to
 * carry a `status` (an HTTP client's error for an upstream call, say) are server faults: `undefined`.
 */
export function httpErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const { statusCode, status, expose } = error as FrameworkErrorFields;
  const isHttpError = typeof expose === 'boolean' && statusCode === status;
  return (isHttpError || error.name === 'FastifyError') && isErrorStatus(statusCode) ? statusCode : undefined;
}

function parserStatus(error: FrameworkErrorFields): unknown {
  return error.statusCode ?? error.status;
}

function toResolvedError(answer: FrameworkErrorAnswer): ResolvedError {
  return errorOfCode(answer.code, answer.message === undefined ? undefined : [answer.message], answer.status);
}
