// The `docUrl` option: every error body carries `doc_url`, the page of its code, whichever path made the
// answer (a thrown exception, the router's 404, a crash, Node's parser); the envelope's four descriptions
// (JSON Schema, OpenAPI schema, isApiErrorBody, TypeScript type) all know the field.
import { Controller, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Ajv } from 'ajv';
import { connect } from 'node:net';
import {
  ApiErrorsConfigurationError,
  ApiErrorsModule,
  ApiException,
  ObjectIdNotFoundException,
  RateLimitExceededException,
  apiErrorBodyOpenApiSchema,
  apiErrorBodySchema,
  defineApiErrors,
  isApiErrorBody,
  type ApiErrorBody,
  type ApiErrorsModuleOptions,
} from 'nestjs-api-errors';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';

const billing = defineApiErrors({ 'billing.card.declined': { status: 402, message: 'The card was declined.' } });
class CardDeclinedException extends billing.exception('billing.card.declined') {}

@Controller()
class DocUrlProbeController {
  @Get('missing')
  missing(): never {
    throw new ObjectIdNotFoundException();
  }

  @Get('slow')
  slow(): never {
    throw new RateLimitExceededException(30);
  }

  @Get('declined')
  declined(): never {
    throw new CardDeclinedException();
  }

  @Get('crash')
  crash(): never {
    throw new Error('database connection lost');
  }

  @Get('own-doc-url')
  ownDocUrl(): never {
    throw new ApiException('object.id.notfound', undefined, { fields: { doc_url: 'https://elsewhere.example/x' } });
  }
}

function start(adapter: AdapterName, options: ApiErrorsModuleOptions): Promise<RunningApp> {
  return startApp(adapter, {
    imports: [ApiErrorsModule.forRoot({ ...options, catalogues: [billing] })],
    controllers: [DocUrlProbeController],
  });
}

/** Sends raw bytes (a request Node's parser refuses) and returns the body that comes back. */
function rawBody(baseUrl: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port: Number(new URL(baseUrl).port), host: '127.0.0.1' });
    socket.on('data', chunk => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[1] ?? ''));
    socket.write(bytes);
  });
}

const page = (code: string): string => `https://api.example.com/errors/${code}`;

describe.each(ADAPTERS)('docUrl, on %s', adapter => {
  describe('as a template', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await start(adapter, { docUrl: 'https://api.example.com/errors/{code}' });
    });
    afterAll(() => running.close());

    it('adds doc_url to a thrown exception’s body', async () => {
      const res = await send(running.baseUrl, '/missing');
      expectError(res, 'object.id.notfound', { fields: { doc_url: page('object.id.notfound') } });
    });

    it('adds it after the code’s own fields', async () => {
      const res = await send(running.baseUrl, '/slow');
      expectError(res, 'request.rate.exceeded', {
        fields: { retry_after: 30, doc_url: page('request.rate.exceeded') },
      });
    });

    it('adds it to an application’s code', async () => {
      const res = await send(running.baseUrl, '/declined');
      expectError(res, 'billing.card.declined', {
        status: 402,
        messages: ['The card was declined.'],
        fields: { doc_url: page('billing.card.declined') },
      });
    });

    it('adds it to the router’s 404 and to a crash', async () => {
      expectError(await send(running.baseUrl, '/nowhere'), 'request.route.notfound', {
        fields: { doc_url: page('request.route.notfound') },
      });
      expectError(await send(running.baseUrl, '/crash'), 'server.internal.error', {
        fields: { doc_url: page('server.internal.error') },
      });
    });

    it('adds it to the answer to a request Node’s parser refuses', async () => {
      const body = JSON.parse(await rawBody(running.baseUrl, 'HELLO THERE\r\n\r\n')) as Record<string, unknown>;
      expect(isApiErrorBody(body)).toBe(true);
      expect(body.doc_url).toBe(page(body.error_code as string));
    });

    it('is the envelope’s own: an exception that sets doc_url is a programming error, answered as a 500', async () => {
      const res = await send(running.baseUrl, '/own-doc-url');
      expect(res.status).toBe(500);
      expect(res.json.doc_url).toBe(page('server.internal.error'));
      expect(res.text).not.toContain('elsewhere.example');
    });
  });

  describe('as a function', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await start(adapter, {
        docUrl: code => {
          if (code === 'server.internal.error') {
            throw new Error('no page for this one');
          }
          return `https://docs.example.com/errors#${code.replaceAll('.', '')}`;
        },
      });
    });
    afterAll(() => running.close());

    it('adds what the function returns', async () => {
      expectError(await send(running.baseUrl, '/missing'), 'object.id.notfound', {
        fields: { doc_url: 'https://docs.example.com/errors#objectidnotfound' },
      });
    });

    it('leaves doc_url out, and still answers, when the function throws for a code', async () => {
      expectError(await send(running.baseUrl, '/crash'), 'server.internal.error');
    });
  });

  describe('left out', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await start(adapter, {});
    });
    afterAll(() => running.close());

    it('sends no doc_url', async () => {
      const res = await send(running.baseUrl, '/missing');
      expectError(res, 'object.id.notfound');
      expect('doc_url' in res.json).toBe(false);
    });
  });
});

describe('docUrl is checked at start-up', () => {
  it.each([
    ['a template without {code}', 'https://api.example.com/errors', 'not a URL template with {code} in it'],
    ['a relative template', '/errors/{code}', 'not an absolute http(s) URL'],
    ['a template of another scheme', 'ftp://api.example.com/errors/{code}', 'not an absolute http(s) URL'],
    ['a number', 42, 'not a URL template with {code} in it, nor a function'],
    [
      'a function that returns no URL',
      () => 'errors/page',
      'docUrl(\'auth.apikey.missing\') is the string "errors/page", not an absolute http(s) URL',
    ],
  ])('refuses %s, saying how to fix it', async (_name, docUrl, message) => {
    const compile = Test.createTestingModule({
      imports: [ApiErrorsModule.forRoot({ docUrl: docUrl as ApiErrorsModuleOptions['docUrl'] })],
    }).compile();
    await expect(compile).rejects.toThrow(ApiErrorsConfigurationError);
    await expect(compile).rejects.toThrow(message);
  });
});

describe('doc_url in the envelope’s descriptions', () => {
  const jsonSchema = new Ajv({ strict: true, allErrors: true }).compile(apiErrorBodySchema);
  const openApiAjv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  openApiAjv.addKeyword('example');
  const openApiSchema = openApiAjv.compile(apiErrorBodyOpenApiSchema);
  const body = { status: 'error', error_code: 'auth.apikey.missing', error_id: 'id-1', messages: ['m'] };

  it.each([
    ['a URL', page('auth.apikey.missing'), true],
    ['a number', 42, false],
    ['null', null, false],
  ])('all take doc_url as %s the same way', (_name, value, expected) => {
    const withUrl = { ...body, doc_url: value };
    expect([jsonSchema(withUrl), openApiSchema(withUrl), isApiErrorBody(withUrl)]).toEqual([
      expected,
      expected,
      expected,
    ]);
  });

  it('is one no code may declare', () => {
    const define = (): unknown =>
      defineApiErrors({
        'billing.card.declined': {
          status: 402,
          message: 'Declined.',
          fields: { doc_url: { type: 'string', description: 'Its page.', example: 'https://x.example/' } },
        },
      });
    expect(define).toThrow(ApiErrorsConfigurationError);
    expect(define).toThrow('the body field "doc_url" of "billing.card.declined" is one the envelope owns');
  });
});

/** Type-level checks: `npm run typecheck` compiles this, and each `@ts-expect-error` must meet an error. Never called. */
export function typeChecks(value: unknown): void {
  if (isApiErrorBody(value)) {
    const url: string | undefined = value.doc_url;
    void url;
  }
  const withUrl: ApiErrorBody<'object.id.notfound'> = {
    status: 'error',
    error_code: 'object.id.notfound',
    error_id: 'id-1',
    messages: ['m'],
    doc_url: page('object.id.notfound'),
  };
  const wrongType: ApiErrorBody<'object.id.notfound'> = {
    status: 'error',
    error_code: 'object.id.notfound',
    error_id: 'id-1',
    messages: ['m'],
    // @ts-expect-error doc_url is a string
    doc_url: 42,
  };
  void [withUrl, wrongType];
}
