import { API_ERROR_CATALOGUE, type ApiErrorCode } from '../../lib/catalogue/api-error-catalogue.js';
import {
  BODY_PARSER_ERRORS,
  FASTIFY_ERRORS,
  FRAMEWORK_ERROR_SHAPES,
  INCOMPLETE_BODY_MESSAGE,
  INVALID_JSON_MESSAGE,
  INVALID_URL_MESSAGE,
  NODE_CLIENT_ERRORS,
  httpErrorStatus,
  resolveClientError,
  resolveFrameworkError,
} from '../../lib/filter/framework-errors.js';

/** An error as the framework throws it: its class, with the properties it sets. */
function error<E extends Error>(make: new (message: string) => E, message: string, fields: object = {}): E {
  return Object.assign(new make(message), fields);
}

// One row per row of the tables: [what throws it, the error, status, code, messages (undefined: the code's)].
const RECOGNISED: [string, unknown, number, string, string[] | undefined][] = [
  [
    'body-parser: malformed JSON',
    error(SyntaxError, 'Unexpected token } in JSON at position 9', { type: 'entity.parse.failed', status: 400 }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],
  [
    'body-parser: body over the limit',
    error(Error, 'request entity too large', { type: 'entity.too.large', status: 413 }),
    413,
    'request.body.toolarge',
    undefined,
  ],
  [
    'body-parser: unsupported charset',
    error(Error, 'unsupported charset "KOI8-R"', { type: 'charset.unsupported', status: 415 }),
    415,
    'request.mediatype.unsupported',
    undefined,
  ],
  [
    'body-parser: unsupported content encoding',
    error(Error, 'unsupported content encoding "br"', { type: 'encoding.unsupported', status: 415 }),
    415,
    'request.mediatype.unsupported',
    undefined,
  ],
  [
    'raw-body: the client closed before the whole body came',
    error(Error, 'request aborted', { type: 'request.aborted', status: 400 }),
    400,
    'request.failed',
    [INCOMPLETE_BODY_MESSAGE],
  ],
  [
    'Fastify: empty JSON body',
    error(Error, "Body cannot be empty when content-type is set to 'application/json'", {
      code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
      statusCode: 400,
    }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],
  [
    'Fastify: invalid JSON body',
    error(Error, 'Body is not valid JSON but content-type is set to application/json', {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
    }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],
  [
    'Fastify: body over bodyLimit',
    error(Error, 'Request body is too large', { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
    413,
    'request.body.toolarge',
    undefined,
  ],
  [
    'Fastify: URL that cannot be decoded',
    error(Error, "'/%ff' is not a valid url component", { code: 'FST_ERR_BAD_URL', statusCode: 400 }),
    422,
    'request.validation.failed',
    [INVALID_URL_MESSAGE],
  ],
  [
    'Fastify: unsupported media type',
    error(Error, 'Unsupported Media Type: text/csv', { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }),
    415,
    'request.mediatype.unsupported',
    undefined,
  ],
  [
    'Fastify: invalid Content-Type',
    error(Error, 'Invalid Content-Type', { code: 'FST_ERR_CTP_INVALID_CONTENT_TYPE', statusCode: 415 }),
    415,
    'request.mediatype.unsupported',
    undefined,
  ],
  [
    "Node's request stream cut short",
    error(Error, 'aborted', { code: 'ECONNRESET', status: 400 }),
    400,
    'request.failed',
    [INCOMPLETE_BODY_MESSAGE],
  ],
  [
    "Fastify's JSON parser: a SyntaxError with statusCode 400",
    error(SyntaxError, 'Object contains forbidden prototype property', { statusCode: 400 }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],
  [
    'a URIError with status 400',
    error(URIError, 'URI malformed', { status: 400 }),
    422,
    'request.validation.failed',
    [INVALID_URL_MESSAGE],
  ],
];

describe('what the frameworks throw, by the tables of framework-errors.ts', () => {
  it.each(RECOGNISED)('%s', (_name, thrown, status, code, messages) => {
    expect(resolveFrameworkError(thrown)).toEqual({
      status,
      code,
      messages: messages ?? [API_ERROR_CATALOGUE[code as ApiErrorCode].message],
      fields: {},
    });
  });

  it('has an example above for every row of every table', () => {
    const examples = RECOGNISED.map(([, thrown]) => thrown as { type?: unknown; code?: unknown });
    for (const type of BODY_PARSER_ERRORS.keys()) {
      expect(examples.some(example => example.type === type)).toBe(true);
    }
    for (const code of FASTIFY_ERRORS.keys()) {
      expect(examples.some(example => example.code === code)).toBe(true);
    }
    for (const row of FRAMEWORK_ERROR_SHAPES) {
      expect(examples.filter(example => row.matches(example))).not.toHaveLength(0);
    }
  });

  it.each([
    ['a SyntaxError of the application (no status)', new SyntaxError('Unexpected token')],
    ['a URIError with another status', error(URIError, 'URI malformed', { status: 500 })],
    ['ECONNRESET of an upstream call', error(Error, 'socket hang up', { code: 'ECONNRESET' })],
    ['an unknown type', error(Error, 'x', { type: 'entity.verify.failed' })],
    ['an unknown Fastify code', error(Error, 'x', { code: 'FST_ERR_NOT_FOUND' })],
    ['a string', 'entity.parse.failed'],
    ['null', null],
    ['undefined', undefined],
  ])('leaves alone %s', (_name, thrown) => {
    expect(resolveFrameworkError(thrown)).toBeUndefined();
  });
});

describe('the status of an error made for HTTP', () => {
  const httpError = (status: number) =>
    error(Error, 'Not Acceptable', { status, statusCode: status, expose: status < 500 });
  const fastifyError = (statusCode: number) =>
    Object.assign(error(Error, 'x', { code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode }), { name: 'FastifyError' });

  it.each([
    ['an http-errors 406', httpError(406), 406],
    ['an http-errors 502', httpError(502), 502],
    ['a FastifyError 414 (FST_ERR_MAX_PARAM_LENGTH)', fastifyError(414), 414],
    ['an http-errors error whose status is not an error status', httpError(302), undefined],
    ['a FastifyError without an error status', fastifyError(200), undefined],
    [
      'an http-errors look-alike whose status and statusCode differ',
      error(Error, 'x', { status: 404, statusCode: 400, expose: true }),
      undefined,
    ],
    [
      'an upstream client error with a status but no expose',
      error(Error, 'x', { status: 404, statusCode: 404 }),
      undefined,
    ],
    ['a plain object', { status: 404, statusCode: 404, expose: true }, undefined],
  ])('%s', (_name, thrown, status) => {
    expect(httpErrorStatus(thrown)).toBe(status);
  });
});

describe("what Node's HTTP parser refuses", () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'The request header fields are too large.'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'The request did not arrive in time.'],
    ['HPE_INVALID_METHOD', 400, 'The request is not valid HTTP/1.1.'],
  ])('%s → %i request.failed', (code, status, message) => {
    expect(resolveClientError(error(Error, 'Parse Error', { code }))).toEqual({
      status,
      code: 'request.failed',
      messages: [message],
      fields: {},
    });
  });

  it('has an example above for every row', () => {
    expect([...NODE_CLIENT_ERRORS.keys()]).toEqual(['HPE_HEADER_OVERFLOW', 'ERR_HTTP_REQUEST_TIMEOUT']);
  });
});
