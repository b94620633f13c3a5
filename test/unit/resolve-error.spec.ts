import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  ImATeapotException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
  type HttpServer,
} from '@nestjs/common';
import { API_ERROR_CATALOGUE, type ApiErrorCode } from '../../lib/catalogue/api-error-catalogue.js';
import { ApiErrorRegistry } from '../../lib/catalogue/api-error-registry.js';
import { defineApiErrors } from '../../lib/catalogue/define-api-errors.js';
import { ApiException } from '../../lib/exceptions/api.exception.js';
import { CriticalAuthRequiredException, ObjectIdNotFoundException } from '../../lib/exceptions/contract.exceptions.js';
import { RateLimitExceededException } from '../../lib/exceptions/extension.exceptions.js';
import { INVALID_JSON_MESSAGE } from '../../lib/filter/framework-errors.js';
import { resolveError } from '../../lib/filter/resolve-error.js';

const billing = defineApiErrors({ 'billing.card.declined': { status: 402, message: 'The card was declined.' } });
const registry = new ApiErrorRegistry([billing]);
const adapter = {
  getRequestMethod: (request: { method: string }) => request.method,
  getRequestUrl: (request: { url: string }) => request.url,
} as unknown as HttpServer;
const request = { method: 'GET', url: '/nowhere?x=1' };

/** The code's own message, as the only message. */
const own = (code: ApiErrorCode): string[] => [API_ERROR_CATALOGUE[code].message];

class AppError extends Error {}

// [what is thrown, the exception, status, code, messages, extra fields]
const ROWS: [string, unknown, number, string, unknown, object?][] = [
  // ApiException: as it is; a 5xx never says more than its code.
  [
    'an ApiException',
    new ObjectIdNotFoundException('Order 42 does not exist.'),
    404,
    'object.id.notfound',
    ['Order 42 does not exist.'],
  ],
  [
    'an ApiException with fields',
    new CriticalAuthRequiredException('otp'),
    403,
    'critical.auth.required',
    own('critical.auth.required'),
    { critical_auth_method: 'otp' },
  ],
  [
    'an ApiException with retry_after',
    new RateLimitExceededException(30),
    429,
    'request.rate.exceeded',
    own('request.rate.exceeded'),
    { retry_after: 30 },
  ],
  [
    'a 5xx ApiException with a message',
    new ApiException('server.internal.error', 'db password=x'),
    500,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'an application code',
    new (billing.exception('billing.card.declined'))('Card 4242 was declined.'),
    402,
    'billing.card.declined',
    ['Card 4242 was declined.'],
  ],

  // Nest 12's errorCode: a known code keeps its code and status (request.failed and server.internal.error keep the exception's).
  [
    'errorCode of a built-in code',
    new HttpException('Email is taken', 409, { errorCode: 'profile.identifier.used' }),
    403,
    'profile.identifier.used',
    ['Email is taken'],
  ],
  [
    'errorCode of an application code',
    new HttpException('Declined upstream', 400, { errorCode: 'billing.card.declined' }),
    402,
    'billing.card.declined',
    ['Declined upstream'],
  ],
  [
    'errorCode request.failed keeps the status',
    new HttpException('Teapot', 418, { errorCode: 'request.failed' }),
    418,
    'request.failed',
    ['Teapot'],
  ],
  [
    'errorCode server.internal.error keeps the status, not the message',
    new HttpException('db down', 502, { errorCode: 'server.internal.error' }),
    502,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'errorCode of a 5xx code, not the message',
    new HttpException('maintenance', 500, { errorCode: 'server.unavailable' }),
    503,
    'server.unavailable',
    own('server.unavailable'),
  ],
  [
    'an unknown errorCode: by status',
    new HttpException('Nope', 403, { errorCode: 'no.such.code' }),
    403,
    'auth.restricted',
    ['Nope'],
  ],

  // HttpException subclasses, by status (ERROR_CODE_BY_STATUS and the rule for the others).
  [
    'BadRequestException',
    new BadRequestException(['name must be a string']),
    422,
    'request.validation.failed',
    ['name must be a string'],
  ],
  [
    'BadRequestException with Nest’s message',
    new BadRequestException(),
    422,
    'request.validation.failed',
    own('request.validation.failed'),
  ],
  [
    'UnprocessableEntityException',
    new UnprocessableEntityException('Bad date'),
    422,
    'request.validation.failed',
    ['Bad date'],
  ],
  ['UnauthorizedException', new UnauthorizedException(), 401, 'auth.token.invalid', own('auth.token.invalid')],
  [
    'ForbiddenException (a guard that returned false)',
    new ForbiddenException('Forbidden resource'),
    403,
    'auth.restricted',
    own('auth.restricted'),
  ],
  [
    'NotFoundException of the application',
    new NotFoundException('No such order'),
    404,
    'object.id.notfound',
    ['No such order'],
  ],
  [
    'NotFoundException of Nest’s router',
    new NotFoundException('Cannot GET /nowhere?x=1'),
    404,
    'request.route.notfound',
    own('request.route.notfound'),
  ],
  [
    'PayloadTooLargeException',
    new PayloadTooLargeException('big'),
    413,
    'request.body.toolarge',
    own('request.body.toolarge'),
  ],
  [
    'UnsupportedMediaTypeException',
    new UnsupportedMediaTypeException('csv'),
    415,
    'request.mediatype.unsupported',
    own('request.mediatype.unsupported'),
  ],
  [
    'a 429 of @nestjs/throttler',
    new HttpException('ThrottlerException: Too Many Requests', 429),
    429,
    'request.rate.exceeded',
    own('request.rate.exceeded'),
  ],
  [
    'ConflictException: another 4xx',
    new ConflictException('Already exists'),
    409,
    'request.failed',
    ['Already exists'],
  ],
  ['ImATeapotException: Nest’s wording, not Node’s', new ImATeapotException(), 418, 'request.failed', ["I'm a teapot"]],
  [
    'ServiceUnavailableException',
    new ServiceUnavailableException('db down'),
    503,
    'server.unavailable',
    own('server.unavailable'),
  ],
  [
    'InternalServerErrorException',
    new InternalServerErrorException('secret'),
    500,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'another 5xx HttpException',
    new HttpException('upstream said no', 502),
    502,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'an HttpException with a status that is no error',
    new HttpException('moved', 302),
    500,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'Nest 12’s parser exception, by its cause',
    new BadRequestException('Unexpected token', {
      cause: Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed' }),
    }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],

  // What frameworks throw (framework-errors.ts) and anything else.
  [
    'a body-parser error',
    Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed', status: 400 }),
    422,
    'request.validation.failed',
    [INVALID_JSON_MESSAGE],
  ],
  [
    'an http-errors 4xx',
    Object.assign(new Error('Gone'), { status: 410, statusCode: 410, expose: true }),
    410,
    'request.failed',
    own('request.failed'),
  ],
  [
    'an http-errors 503',
    Object.assign(new Error('down'), { status: 503, statusCode: 503, expose: false }),
    503,
    'server.unavailable',
    own('server.unavailable'),
  ],
  [
    'an http-errors 5xx',
    Object.assign(new Error('bad gateway'), { status: 502, statusCode: 502, expose: false }),
    502,
    'server.internal.error',
    own('server.internal.error'),
  ],
  [
    'an upstream error with a status',
    Object.assign(new Error('upstream 404'), { status: 404 }),
    500,
    'server.internal.error',
    own('server.internal.error'),
  ],
  ['an Error', new AppError('db password=x'), 500, 'server.internal.error', own('server.internal.error')],
  ['a string', 'x', 500, 'server.internal.error', own('server.internal.error')],
  ['null', null, 500, 'server.internal.error', own('server.internal.error')],
];

describe('resolveError: what every failure becomes', () => {
  it.each(ROWS)('%s', (_name, exception, status, code, messages, fields = {}) => {
    expect(resolveError(exception, request, adapter, registry)).toMatchObject({ status, code, messages, fields });
  });

  it('keeps the headers an ApiException asks for', () => {
    const exception = new ApiException('auth.token.invalid', undefined, {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
    expect(resolveError(exception, request, adapter, registry).headers).toEqual(exception.headers);
  });

  it('takes no NotFoundException for the router’s without the request (client errors, tests)', () => {
    expect(resolveError(new NotFoundException('Cannot GET /nowhere?x=1'), undefined, undefined, registry).code).toBe(
      'object.id.notfound',
    );
  });
});
