import { API_ERROR_CATALOGUE, type ApiErrorCode } from 'nestjs-api-errors';
import { INVALID_JSON_MESSAGE } from '../../lib/filter/framework-errors.js';
import { INTERNAL_SECRET } from '../fixtures/foreign-errors.fixture.js';
import { ADAPTERS, NEST_HAS_ERROR_CODE, startFixture, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send, type RawResponse, type RequestOptions } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function message(code: ApiErrorCode): string[] {
  return [API_ERROR_CATALOGUE[code].message];
}

interface PathCase {
  name: string;
  path: string;
  request?: RequestOptions;
  status: number;
  code: ApiErrorCode;
  messages: string[] | Record<string, string[]>;
  fields?: Record<string, unknown>;
}

const invalidJson = [INVALID_JSON_MESSAGE];

/** Every way an error can reach the client, with the exact answer expected on both adapters. */
const cases: PathCase[] = [
  {
    name: 'controller',
    path: '/errors/controller',
    status: 404,
    code: 'object.id.notfound',
    messages: message('object.id.notfound'),
  },
  {
    name: 'service',
    path: '/errors/service',
    status: 403,
    code: 'profile.identifier.used',
    messages: message('profile.identifier.used'),
  },
  {
    name: 'async handler',
    path: '/errors/async',
    status: 404,
    code: 'object.id.notfound',
    messages: ['Order 42 does not exist.'],
  },
  {
    name: 'observable handler',
    path: '/errors/observable',
    status: 404,
    code: 'object.id.notfound',
    messages: message('object.id.notfound'),
  },
  {
    name: 'guard that throws',
    path: '/errors/guard',
    status: 403,
    code: 'auth.user.denied',
    messages: message('auth.user.denied'),
  },
  {
    name: 'guard that returns false',
    path: '/errors/guard-false',
    status: 403,
    code: 'auth.restricted',
    messages: message('auth.restricted'),
  },
  {
    name: 'interceptor',
    path: '/errors/interceptor',
    status: 401,
    code: 'auth.session.invalid',
    messages: message('auth.session.invalid'),
  },
  {
    name: 'pipe',
    path: '/errors/pipe?type=secret',
    status: 403,
    code: 'auth.restricted',
    messages: ['Objects of this type cannot be read with this key.'],
  },
  {
    name: 'built-in parse pipe',
    path: '/errors/parse-int/abc',
    status: 422,
    code: 'request.validation.failed',
    messages: ['Validation failed (numeric string is expected)'],
  },
  {
    name: 'middleware',
    path: '/errors/middleware',
    status: 403,
    code: 'object.limit.exceeded',
    messages: message('object.limit.exceeded'),
  },
  {
    name: 'unmatched route',
    path: '/no/such/route?x=1',
    status: 404,
    code: 'request.route.notfound',
    messages: message('request.route.notfound'),
  },
  {
    name: 'unmatched method',
    path: '/errors/controller',
    request: { method: 'DELETE' },
    status: 404,
    code: 'request.route.notfound',
    messages: message('request.route.notfound'),
  },
  {
    name: 'malformed JSON body',
    path: '/validation/users',
    request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"first_name": "Ada",' },
    status: 422,
    code: 'request.validation.failed',
    messages: invalidJson,
  },
  {
    name: 'JSON with a syntax error inside a value',
    path: '/validation/users',
    request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"first_name": tru}' },
    status: 422,
    code: 'request.validation.failed',
    messages: invalidJson,
  },
  {
    name: 'body over the size limit',
    path: '/validation/users',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    },
    status: 413,
    code: 'request.body.toolarge',
    messages: message('request.body.toolarge'),
  },
  {
    name: 'unsupported media type',
    path: '/validation/users',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<user><first_name>Ada</first_name></user>',
    },
    status: 415,
    code: 'request.mediatype.unsupported',
    messages: message('request.mediatype.unsupported'),
  },
  {
    name: 'body without a content type',
    path: '/validation/users',
    request: { method: 'POST', body: Buffer.from('{"first_name":"Ada"}') },
    status: 415,
    code: 'request.mediatype.unsupported',
    messages: message('request.mediatype.unsupported'),
  },
  {
    name: 'thrown Error',
    path: '/errors/internal',
    status: 500,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  },
  {
    name: 'TypeError from a bug',
    path: '/errors/type-error',
    status: 500,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  },
  {
    name: '5xx ApiException with a message of its own',
    path: '/errors/internal-cause',
    status: 500,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  },
  ...['string', 'null', 'undefined', 'number', 'object'].map((what): PathCase => ({
    name: `throw of a ${what}`,
    path: `/errors/throw/${what}`,
    status: 500,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  })),
  {
    name: 'rate limit',
    path: '/errors/rate',
    status: 429,
    code: 'request.rate.exceeded',
    messages: message('request.rate.exceeded'),
    fields: { retry_after: 30 },
  },
  {
    name: 'a throttler’s 429 with its Retry-After header',
    path: '/errors/throttled',
    status: 429,
    code: 'request.rate.exceeded',
    messages: message('request.rate.exceeded'),
    fields: { retry_after: 12 },
  },
  {
    name: 'critical auth (password)',
    path: '/errors/critical/password',
    status: 403,
    code: 'critical.auth.required',
    messages: message('critical.auth.required'),
    fields: { critical_auth_method: 'password' },
  },
];

/** Nest's own HttpException subclasses, mapped as the README's failure table says. */
const nestCases: PathCase[] = [
  {
    name: 'BadRequestException',
    path: 'bad-request',
    status: 422,
    code: 'request.validation.failed',
    messages: ['Bad input'],
  },
  {
    name: 'BadRequestException with a list',
    path: 'bad-request-list',
    status: 422,
    code: 'request.validation.failed',
    messages: ['first is wrong', 'second is wrong'],
  },
  {
    name: 'UnauthorizedException',
    path: 'unauthorized',
    status: 401,
    code: 'auth.token.invalid',
    messages: message('auth.token.invalid'),
  },
  {
    name: 'UnauthorizedException with a message',
    path: 'unauthorized-message',
    status: 401,
    code: 'auth.token.invalid',
    messages: ['Session was revoked'],
  },
  {
    name: 'ForbiddenException',
    path: 'forbidden',
    status: 403,
    code: 'auth.restricted',
    messages: message('auth.restricted'),
  },
  {
    name: 'NotFoundException',
    path: 'not-found',
    status: 404,
    code: 'object.id.notfound',
    messages: message('object.id.notfound'),
  },
  {
    name: 'NotFoundException whose message looks like the router’s (but for another URL)',
    path: 'not-found-message',
    status: 404,
    code: 'object.id.notfound',
    messages: ['Cannot GET /elsewhere'],
  },
  { name: 'ConflictException', path: 'conflict', status: 409, code: 'request.failed', messages: ['Already exists'] },
  {
    name: 'PayloadTooLargeException',
    path: 'payload-too-large',
    status: 413,
    code: 'request.body.toolarge',
    messages: message('request.body.toolarge'),
  },
  {
    name: 'UnsupportedMediaTypeException',
    path: 'unsupported-media-type',
    status: 415,
    code: 'request.mediatype.unsupported',
    messages: message('request.mediatype.unsupported'),
  },
  {
    name: 'HttpException 429',
    path: 'too-many',
    status: 429,
    code: 'request.rate.exceeded',
    messages: message('request.rate.exceeded'),
  },
  {
    name: 'ServiceUnavailableException',
    path: 'unavailable',
    status: 503,
    code: 'server.unavailable',
    messages: message('server.unavailable'),
  },
  {
    name: 'GatewayTimeoutException',
    path: 'gateway-timeout',
    status: 504,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  },
  {
    name: 'NotImplementedException',
    path: 'not-implemented',
    status: 501,
    code: 'server.internal.error',
    messages: message('server.internal.error'),
  },
  // Nest 11's HttpException has no `errorCode` option: there the code comes from the status alone.
  NEST_HAS_ERROR_CODE
    ? {
        name: 'HttpException with a known errorCode',
        path: 'error-code',
        status: 403,
        code: 'profile.identifier.used',
        messages: ['Email is taken'],
      }
    : {
        name: 'HttpException with a known errorCode (Nest 11: ignored, by its status)',
        path: 'error-code',
        status: 409,
        code: 'request.failed',
        messages: ['Email is taken'],
      },
  {
    name: 'HttpException with an unknown errorCode',
    path: 'unknown-error-code',
    status: 409,
    code: 'request.failed',
    messages: ['Nope'],
  },
  {
    name: 'HttpException with a custom body',
    path: 'teapot',
    status: 418,
    code: 'request.failed',
    messages: message('request.failed'),
  },
].map(item => ({ ...item, path: `/errors/nest/${item.path}` }) as PathCase);

describe.each(ADAPTERS)('every error path on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it.each([...cases, ...nestCases])(
    '$name → $status $code',
    async ({ path, request, status, code, messages, fields }) => {
      const res = await send(running.baseUrl, path, request);

      expectError(res, code, { status, messages, fields });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json.error_id).toMatch(UUID);
      expect(res.headers['x-error-id']).toBe(res.json.error_id);
      if (fields?.retry_after !== undefined) {
        expect(res.headers['retry-after']).toBe(String(fields.retry_after));
      }
    },
  );

  it('gives every error response an id of its own', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await send(running.baseUrl, i % 2 === 0 ? '/errors/controller' : '/nope');
      ids.add(res.json.error_id);
    }
    expect(ids.size).toBe(20);
  });

  it('logs each error once, with the id of its body and header, its code, status, method and path without the query', async () => {
    running.logs.clear();
    const res = await send(running.baseUrl, '/errors/pipe?type=secret-query-value');

    const lines = running.logs.linesWith(res.json.error_id);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('log');
    expect(entryOf(lines[0]).msg).toBe(`403 auth.restricted error_id=${res.json.error_id} GET /errors/pipe`);
    expect(running.logs.text()).not.toContain('secret-query-value');
  });

  it.each(['/errors/internal', '/errors/internal-cause', '/errors/type-error'])(
    'keeps the internals of %s out of the 500 body and puts them, with the stack, in one error line',
    async path => {
      running.logs.clear();
      const res: RawResponse = await send(running.baseUrl, path);

      expect(res.status).toBe(500);
      expect(res.text).not.toContain('hunter2');
      expect(res.text).not.toContain(INTERNAL_SECRET);
      expect(res.text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
      expect(res.text).not.toMatch(/TypeError|Cannot read/);

      const lines = running.logs.linesWith(res.json.error_id);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.level).toBe('error');
      expect(entryOf(lines[0]).msg).toBe(`500 server.internal.error error_id=${res.json.error_id} GET ${path}`);
      expect(entryOf(lines[0]).stack).toMatch(/\n\s+at /); // the stack is logged
    },
  );

  it('logs the cause of a 5xx ApiException', async () => {
    running.logs.clear();
    const res = await send(running.baseUrl, '/errors/internal-cause');
    const [line] = running.logs.linesWith(res.json.error_id);
    expect(entryOf(line).stack).toContain('[cause]: Error: ledger at');
  });

  it('does not log a stack for a 4xx', async () => {
    running.logs.clear();
    const res = await send(running.baseUrl, '/errors/controller');
    const [line] = running.logs.linesWith(res.json.error_id);
    expect(line?.extra).toEqual(['ApiErrors']);
  });

  it('answers a HEAD of an unmatched route with the headers of the envelope and no body', async () => {
    const res = await send(running.baseUrl, '/nope', { method: 'HEAD', skipErrorCheck: true });
    expect(res.status).toBe(404);
    expect(res.text).toBe('');
    expect(res.headers['x-error-id']).toMatch(UUID);
  });
});
