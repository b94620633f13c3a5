import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import * as pkg from 'nestjs-api-errors';
import {
  API_ERROR_CATALOGUE,
  ApiErrorsConfigurationError,
  ApiException,
  CriticalAuthRequiredException,
  RateLimitExceededException,
  RequestFailedException,
  apiErrorBodySchema,
  isApiErrorBody,
  type ApiErrorCode,
} from 'nestjs-api-errors';

/** The contract as published (a copy of shared/seeds), parsed: code → status. */
function contractCodes(): Map<string, number> {
  const text = readFileSync(new URL('../fixtures/contract-seed.txt', import.meta.url), 'utf8');
  const codes = new Map<string, number>();
  let status = 0;
  for (const line of text.split('\n')) {
    const heading = /^HTTP (\d{3})/.exec(line);
    if (heading !== null) {
      status = Number(heading[1]);
      continue;
    }
    // A code is a list item "- a.b.c" that ends its line, alone or after the previous item's text.
    const code = /(?:^|[^\w-])- ([a-z]+(?:\.[a-z]+)+)\s*$/.exec(line);
    if (code !== null && status !== 0) {
      codes.set(code[1] as string, status);
    }
  }
  return codes;
}

const squash = (text: string): string => text.replace(/\s+/g, '').replace(/’/g, "'");
const codes = Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[];
const seedCodes = codes.filter(code => API_ERROR_CATALOGUE[code].origin === 'seed');

describe('the catalogue', () => {
  it('has exactly the 37 codes of the contract, with its statuses', () => {
    const contract = contractCodes();
    expect(contract.size).toBe(37);
    expect(Object.fromEntries(seedCodes.map(code => [code, API_ERROR_CATALOGUE[code].status]))).toEqual(
      Object.fromEntries(contract),
    );
  });

  it.each(seedCodes)('words %s as the contract does', code => {
    const seed = squash(readFileSync(new URL('../fixtures/contract-seed.txt', import.meta.url), 'utf8'));
    expect(seed).toContain(squash(API_ERROR_CATALOGUE[code].message));
  });

  it('gives every code a unique class name and a message', () => {
    const names = codes.map(code => API_ERROR_CATALOGUE[code].exception);
    expect(new Set(names).size).toBe(names.length);
    for (const code of codes) {
      expect(API_ERROR_CATALOGUE[code].message.length).toBeGreaterThan(10);
      expect(code).toMatch(new RegExp(pkg.API_ERROR_CODE_PATTERN));
    }
  });

  it.each(codes)('exports the class of %s, which builds with no arguments', code => {
    const { exception, status, message } = API_ERROR_CATALOGUE[code];
    const cls = (pkg as unknown as Record<string, new (...args: unknown[]) => ApiException>)[exception];
    expect(cls).toBeDefined();
    const error =
      cls === CriticalAuthRequiredException
        ? new CriticalAuthRequiredException('password')
        : new (cls as new () => ApiException)();
    const extra = code === 'critical.auth.required' ? { critical_auth_method: 'password' } : {};
    expect(error).toBeInstanceOf(ApiException);
    expect(error).toBeInstanceOf(cls);
    expect(error.name).toBe(exception);
    expect(error.code).toBe(code);
    expect(error.errorCode).toBe(code);
    expect(error.getStatus()).toBe(status);
    expect(error.messages).toEqual([message]);
    expect(error.message).toBe(message);
    expect(error.getResponse()).toEqual({ status: 'error', error_code: code, messages: [message], ...extra });
    expect((cls as unknown as { code: string }).code).toBe(code);
  });
});

describe('ApiException', () => {
  it.each(['status', 'error_code', 'error_id', 'messages', 'doc_url'])('refuses the reserved extra field %s', field => {
    expect(() => new ApiException('auth.restricted', undefined, { fields: { [field]: 'x' } })).toThrow(
      ApiErrorsConfigurationError,
    );
  });

  it('normalises messages: a string, a list, fields of strings or lists', () => {
    expect(new ApiException('auth.restricted', 'one').messages).toEqual(['one']);
    expect(new ApiException('auth.restricted', ['one', 'two']).messages).toEqual(['one', 'two']);
    expect(new ApiException('request.validation.failed', { email: 'bad', name: ['short', 'odd'] }).messages).toEqual({
      email: ['bad'],
      name: ['short', 'odd'],
    });
    expect(new ApiException('auth.restricted', '').messages).toEqual([API_ERROR_CATALOGUE['auth.restricted'].message]);
    expect(new ApiException('auth.restricted', []).messages).toEqual([API_ERROR_CATALOGUE['auth.restricted'].message]);
  });

  it('keeps a field named __proto__ an ordinary field', () => {
    const messages = new ApiException('request.validation.failed', JSON.parse('{"__proto__": "odd"}'))
      .messages as Record<string, string[]>;
    expect(Object.keys(messages)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(messages)).toBe(Object.prototype);
  });

  it('carries a cause and extra fields', () => {
    const cause = new Error('db');
    const error = new ApiException('object.limit.exceeded', undefined, { cause, fields: { limit: 10 } });
    expect(error.cause).toBe(cause);
    expect(error.getResponse()).toMatchObject({ limit: 10 });
  });

  it('refuses a code that is not in the catalogue', () => {
    expect(() => new ApiException('no.such.code' as ApiErrorCode)).toThrow(/not a code of the built-in catalogue/);
  });

  it('RateLimitExceededException sets retry_after in whole seconds', () => {
    expect(new RateLimitExceededException(29.2).fields).toEqual({ retry_after: 30 });
    expect(new RateLimitExceededException().fields).toEqual({});
  });

  it('RequestFailedException takes a 4xx status only', () => {
    expect(new RequestFailedException(409).getStatus()).toBe(409);
    expect(() => new RequestFailedException(500)).toThrow(ApiErrorsConfigurationError);
    expect(() => new RequestFailedException(302)).toThrow(ApiErrorsConfigurationError);
  });
});

describe('isApiErrorBody and apiErrorBodySchema', () => {
  const validate = new Ajv({ strict: true }).compile(apiErrorBodySchema);
  const good = { status: 'error', error_code: 'auth.apikey.missing', error_id: 'id-1', messages: ['x'] };
  const table: [string, unknown, boolean][] = [
    ['a list of messages', good, true],
    ['messages by field', { ...good, messages: { email: ['bad'] } }, true],
    ['critical_auth_method', { ...good, error_code: 'critical.auth.required', critical_auth_method: 'otp' }, true],
    ['retry_after', { ...good, error_code: 'request.rate.exceeded', retry_after: 3 }, true],
    ['no retry_after', { ...good, error_code: 'request.rate.exceeded' }, true],
    ['a field no code declares', { ...good, memorable_positions: [1, 4] }, true],
    ['an app code', { ...good, error_code: 'billing.card.declined' }, true],
    ['status success', { ...good, status: 'success' }, false],
    ['no error_id', { ...good, error_id: undefined }, false],
    ['an empty error_id', { ...good, error_id: '' }, false],
    ['an empty list', { ...good, messages: [] }, false],
    ['a number in messages', { ...good, messages: [1] }, false],
    ['an empty field list', { ...good, messages: { email: [] } }, false],
    ['an empty messages object', { ...good, messages: {} }, false],
    ['a malformed code', { ...good, error_code: 'Auth Missing' }, false],
    ['a one-part code', { ...good, error_code: 'auth' }, false],
    [
      'a bad critical_auth_method',
      { ...good, error_code: 'critical.auth.required', critical_auth_method: 'sms' },
      false,
    ],
    ['no critical_auth_method', { ...good, error_code: 'critical.auth.required' }, false],
    ['critical_auth_method on another code', { ...good, critical_auth_method: 'otp' }, false],
    ['a negative retry_after', { ...good, error_code: 'request.rate.exceeded', retry_after: -1 }, false],
    ['a fractional retry_after', { ...good, error_code: 'request.rate.exceeded', retry_after: 1.5 }, false],
    ['retry_after on another code', { ...good, retry_after: 3 }, false],
    ['null', null, false],
    ['an array', [good], false],
    ['a string', 'error', false],
  ];

  it.each(table)('%s: both say %s', (_name, body, expected) => {
    expect(isApiErrorBody(body)).toBe(expected);
    expect(validate(body)).toBe(expected);
  });
});
