import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  ApiErrorsConfigurationError,
  ApiErrorsFilter,
  ApiErrorsModule,
  MemoryStore,
  defineApiErrors,
  type ApiErrorsModuleOptions,
} from 'nestjs-api-errors';
import { resolveApiErrorsOptions } from '../../lib/options/resolve-options.js';

const SECRET_32 = 's'.repeat(32);
const principal = { id: 'partner' };

/** The message `resolveApiErrorsOptions` stops with, or `undefined` when it accepts the options. */
function problemWith(options: unknown): string | undefined {
  try {
    resolveApiErrorsOptions(options as ApiErrorsModuleOptions);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiErrorsConfigurationError);
    return (error as Error).message;
  }
}

describe('module options, checked once at start-up', () => {
  it('gives every default', () => {
    const resolved = resolveApiErrorsOptions({});
    expect(resolved).toMatchObject({
      successEnvelope: true,
      catalogues: [],
      clientErrorLogLevel: 'log',
      errorIdHeader: 'X-Error-Id',
      acceptedMediaTypes: [
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'text/plain',
      ],
      apiKey: { header: 'X-Api-Key', keys: [] },
      criticalAuth: {
        otpTtlSeconds: 300,
        otpMaxAttempts: 5,
        otpAttemptWindowSeconds: 900,
        otpMaxConsecutiveFailures: 20,
        otpLockoutSeconds: 86_400,
        otpResendIntervalSeconds: 30,
        otpMaxSendsPerDay: 10,
        passwordMaxAttempts: 5,
        passwordWindowSeconds: 900,
      },
    });
    expect(resolved.generateErrorId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolved.bearer).toBeUndefined();
  });

  it('keeps what the application gave', () => {
    const catalogue = defineApiErrors({ 'shop.cart.empty': { status: 409, message: 'The cart is empty.' } });
    const store = new MemoryStore();
    const resolved = resolveApiErrorsOptions({
      catalogues: [catalogue],
      errorIdHeader: false,
      clientErrorLogLevel: false,
      store,
      acceptedMediaTypes: false,
    });
    expect(resolved).toMatchObject({
      catalogues: [catalogue],
      errorIdHeader: false,
      clientErrorLogLevel: false,
      store,
      acceptedMediaTypes: false,
    });
    store.onModuleDestroy();
  });

  describe.each([
    ['criticalAuth.otpTtlSeconds', (value: unknown) => ({ criticalAuth: { otpTtlSeconds: value } })],
    ['criticalAuth.otpMaxAttempts', (value: unknown) => ({ criticalAuth: { otpMaxAttempts: value } })],
    [
      'criticalAuth.otpAttemptWindowSeconds',
      (value: unknown) => ({ criticalAuth: { otpAttemptWindowSeconds: value } }),
    ],
    [
      'criticalAuth.otpMaxConsecutiveFailures',
      (value: unknown) => ({ criticalAuth: { otpMaxConsecutiveFailures: value } }),
    ],
    ['criticalAuth.otpLockoutSeconds', (value: unknown) => ({ criticalAuth: { otpLockoutSeconds: value } })],
    [
      'criticalAuth.otpResendIntervalSeconds',
      (value: unknown) => ({ criticalAuth: { otpResendIntervalSeconds: value } }),
    ],
    ['criticalAuth.otpMaxSendsPerDay', (value: unknown) => ({ criticalAuth: { otpMaxSendsPerDay: value } })],
    ['criticalAuth.passwordMaxAttempts', (value: unknown) => ({ criticalAuth: { passwordMaxAttempts: value } })],
    ['criticalAuth.passwordWindowSeconds', (value: unknown) => ({ criticalAuth: { passwordWindowSeconds: value } })],
    ['signature.toleranceSeconds', (value: unknown) => ({ signature: { keys: {}, toleranceSeconds: value } })],
    [
      'bearer.clockToleranceSeconds',
      (value: unknown) => ({ bearer: { secret: SECRET_32, algorithms: ['HS256'], clockToleranceSeconds: value } }),
    ],
    [
      'bearer.jwksTimeoutMs',
      (value: unknown) => ({
        bearer: { jwksUrl: 'https://id.example/jwks', algorithms: ['RS256'], jwksTimeoutMs: value },
      }),
    ],
    [
      'bearer.cacheSize',
      (value: unknown) => ({ bearer: { secret: SECRET_32, algorithms: ['HS256'], cacheSize: value } }),
    ],
    [
      'bearer.cacheMaxAgeSeconds',
      (value: unknown) => ({ bearer: { secret: SECRET_32, algorithms: ['HS256'], cacheMaxAgeSeconds: value } }),
    ],
    ['captcha.timeoutMs', (value: unknown) => ({ captcha: { provider: 'turnstile', secret: 'x', timeoutMs: value } })],
  ])('%s', (path, options) => {
    it.each([
      ['NaN (Number of an unset variable)', Number.NaN, 'not a finite number'],
      ['Infinity', Number.POSITIVE_INFINITY, 'not a finite number'],
      ['a string', '300', 'not a finite number'],
      ['negative', -1, 'out of range'],
      ['fractional', 1.5, 'not a whole number'],
      ['huge', 1e12, 'out of range'],
    ])('refuses %s, naming the option, the problem and the fix', (_case, value, problem) => {
      const message = problemWith(options(value));
      expect(message).toContain(`nestjs-api-errors: ${path} is`);
      expect(message).toContain(problem);
      expect(message).toMatch(/Give /);
    });
  });

  it('refuses a minScore outside 0–1 but takes a fraction', () => {
    expect(problemWith({ captcha: { provider: 'recaptcha', secret: 'x', minScore: 0.5 } })).toBeUndefined();
    expect(problemWith({ captcha: { provider: 'recaptcha', secret: 'x', minScore: 2 } })).toContain(
      'captcha.minScore is the number 2, out of range',
    );
    expect(problemWith({ captcha: { provider: 'recaptcha', secret: 'x', minScore: Number.NaN } })).toContain(
      'captcha.minScore',
    );
  });

  describe('HMAC secrets: at least the hash size (32 bytes for HS256 and signatures), and never in the message', () => {
    it.each([
      ['bearer.secret', { bearer: { secret: 'a', algorithms: ['HS256'] } }, 'shorter than 32 bytes'],
      [
        'bearer.secret',
        { bearer: { secret: 'x'.repeat(40), algorithms: ['HS256', 'HS512'] } },
        'shorter than 64 bytes',
      ],
      [
        'signature.keys["partner"].secrets[0]',
        { signature: { keys: { partner: { secrets: ['sixteen-chars-ok'], principal } } } },
        'shorter than 32 bytes',
      ],
      [
        'signature.keys["partner"].secrets[1]',
        { signature: { keys: { partner: { secrets: [SECRET_32, 'short'], principal } } } },
        'shorter than 32 bytes',
      ],
      ['criticalAuth.otpSecret', { criticalAuth: { otpSecret: 'otp-secret' } }, 'shorter than 32 bytes'],
    ])('%s', (path, options, problem) => {
      const message = problemWith(options) as string;
      expect(message).toContain(path);
      expect(message).toContain(problem);
      expect(message).not.toMatch(/sixteen-chars-ok|"a"|short"|otp-secret/);
    });

    it('accepts 32 bytes for HS256 and for signatures', () => {
      expect(
        problemWith({
          bearer: { secret: SECRET_32, algorithms: ['HS256'] },
          signature: { keys: { partner: { secrets: [SECRET_32], principal } } },
        }),
      ).toBeUndefined();
    });

    it('counts bytes, not characters', () => {
      expect(problemWith({ bearer: { secret: 'é'.repeat(16), algorithms: ['HS256'] } })).toBeUndefined();
    });
  });

  describe('values from unset environment variables', () => {
    it.each([
      [
        'an API key',
        { apiKey: { keys: [{ key: undefined, client: { id: 'web' } }] } },
        'apiKey.keys[0] has neither key nor sha256 (is the environment variable it comes from set?)',
      ],
      [
        'a bearer secret',
        { bearer: { secret: undefined, algorithms: ['HS256'] } },
        'bearer needs exactly one of secret, publicKey and jwksUrl (it has none: is the environment variable set?)',
      ],
      [
        'a signature secret',
        { signature: { keys: { partner: { secrets: [undefined], principal } } } },
        'signature.keys["partner"].secrets[0] is undefined, not a string',
      ],
      [
        'a captcha secret',
        { captcha: { provider: 'turnstile', secret: undefined } },
        'captcha.secret is not a non-empty string (is the environment variable set?)',
      ],
      [
        'an OTP secret',
        { criticalAuth: { otpSecret: '' } },
        'criticalAuth.otpSecret is a string of 0 bytes, shorter than 32 bytes',
      ],
    ])('%s', (_case, options, message) => {
      expect(problemWith(options)).toContain(message);
    });
  });

  it.each([
    [
      'apiKey.keys[0] has both key and sha256',
      { apiKey: { keys: [{ key: 'k', sha256: 'a'.repeat(64), client: { id: 'web' } }] } },
    ],
    ['apiKey.keys[0].sha256 is not 64 hex digits', { apiKey: { keys: [{ sha256: 'abc', client: { id: 'web' } }] } }],
    ['apiKey.keys[0] has no client with a string id', { apiKey: { keys: [{ key: 'k' }] } }],
    ['apiKey.keys is not an array', { apiKey: { keys: { key: 'k' } } }],
    ['apiKey.header is not a header name', { apiKey: { header: 'X Api Key' } }],
    ['apiKey.validator is an object, without validate()', { apiKey: { validator: {} } }],
    ['errorIdHeader is not a header name', { errorIdHeader: '' }],
    ['filter is in the options object, where it cannot add or remove the filter', { filter: false }],
    ['successEnvelope is not a boolean', { successEnvelope: 0 }],
    ['clientErrorLogLevel is not a log level', { clientErrorLogLevel: 'error' }],
    ['generateErrorId is not a function', { generateErrorId: 'uuid' }],
    ['catalogues is not a list of catalogues', { catalogues: [{ 'a.b': { status: 400 } }] }],
    ['acceptedMediaTypes is not a list of media types', { acceptedMediaTypes: ['json'] }],
    ['store is an object, without set(), setIfAbsent()', { store: { get() {} } }],
    [
      'bearer needs exactly one of secret, publicKey and jwksUrl (it has secret and jwksUrl)',
      { bearer: { secret: SECRET_32, jwksUrl: 'https://x/jwks', algorithms: ['HS256'] } },
    ],
    [
      'bearer.algorithms is not a list of algorithms',
      { bearer: { jwksUrl: 'https://id.example/jwks', algorithms: ['none'] } },
    ],
    [
      'bearer.algorithms is not a list of algorithms',
      { bearer: { jwksUrl: 'https://id.example/jwks', algorithms: [] } },
    ],
    [
      'bearer.algorithms lists HS256 without a secret',
      { bearer: { jwksUrl: 'https://id.example/jwks', algorithms: ['HS256', 'RS256'] } },
    ],
    ['bearer.secret goes with HS256, HS384 or HS512 only', { bearer: { secret: SECRET_32, algorithms: ['RS256'] } }],
    ['bearer.jwksUrl is not an http(s) URL', { bearer: { jwksUrl: 'file:///etc/passwd', algorithms: ['RS256'] } }],
    [
      'bearer.issuer is neither a non-empty string nor a list of them',
      { bearer: { secret: SECRET_32, algorithms: ['HS256'], issuer: [] } },
    ],
    ['bearer.principal is not a function', { bearer: { secret: SECRET_32, algorithms: ['HS256'], principal: {} } }],
    ['bearer.verifier is an object, without verify()', { bearer: { verifier: {} } }],
    ['signature.keys is not an object of signing keys by key id', { signature: { keys: [] } }],
    [
      'signature.keys["p"].secrets is not a list of one or two secrets',
      { signature: { keys: { p: { secrets: [SECRET_32, SECRET_32, SECRET_32], principal } } } },
    ],
    ['signature.keys["p"].principal has no string id', { signature: { keys: { p: { secrets: [SECRET_32] } } } }],
    [
      'captcha.provider is not one of turnstile, recaptcha, hcaptcha',
      { captcha: { provider: 'friendly', secret: 'x' } },
    ],
    [
      'captcha.verifyUrl is not an http(s) URL',
      { captcha: { provider: 'turnstile', secret: 'x', verifyUrl: 'localhost:3000' } },
    ],
    ['criticalAuth.policy is the string "otp", without methodFor()', { criticalAuth: { policy: 'otp' } }],
    [
      'criticalAuth.passwordVerifier is an object, without verify()',
      { criticalAuth: { passwordVerifier: { check() {} } } },
    ],
    ['criticalAuth.otpSender is an object, without send()', { criticalAuth: { otpSender: {} } }],
    [
      'criticalAuth.otpMaxConsecutiveFailures is the number 101, out of range',
      { criticalAuth: { otpMaxConsecutiveFailures: 101 } },
    ],
  ])('refuses: %s', (message, options) => {
    expect(problemWith(options)).toContain(`nestjs-api-errors: ${message}`);
  });

  it('registers the filter by default; filter, an option of the registration, is checked there', () => {
    expect(ApiErrorsModule.forRoot().providers).toContainEqual({ provide: APP_FILTER, useExisting: ApiErrorsFilter });
    expect(() => ApiErrorsModule.forRoot({ filter: 'false' as never })).toThrow(
      'nestjs-api-errors: filter is not a boolean',
    );
  });

  it('stops the application from starting, with the problem in the error', async () => {
    const start = Test.createTestingModule({
      imports: [
        ApiErrorsModule.forRoot({
          signature: { keys: {}, toleranceSeconds: Number(process.env.SURELY_UNSET_VARIABLE) },
        }),
      ],
    }).compile();
    await expect(start).rejects.toThrow(
      'nestjs-api-errors: signature.toleranceSeconds is the number NaN, not a finite number',
    );
  });

  it('stops forRootAsync too, whatever the factory returned', async () => {
    const start = Test.createTestingModule({
      imports: [
        ApiErrorsModule.forRootAsync({
          useFactory: () => ({
            apiKey: { keys: [{ key: process.env.SURELY_UNSET_VARIABLE as string, client: { id: 'web' } }] },
          }),
        }),
      ],
    }).compile();
    await expect(start).rejects.toThrow('apiKey.keys[0] has neither key nor sha256');
  });
});
