// The `problemDetails` option: a client that asks for application/problem+json in Accept gets RFC 9457's
// body (checked against problemDetailsSchema by the HTTP client); every other client the envelope, byte
// for byte as without the option.
import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsEmail, IsInt, IsString } from 'class-validator';
import { connect } from 'node:net';
import {
  ApiErrorsConfigurationError,
  ApiErrorsModule,
  ObjectIdNotFoundException,
  RateLimitExceededException,
  createValidationPipe,
  type ApiErrorsModuleOptions,
} from 'nestjs-api-errors';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/fixture-app.js';
import { send, type RequestOptions } from '../support/http-client.js';
import { resolveApiErrorsOptions } from '../../lib/options/resolve-options.js';

class SignUpDto {
  @IsString()
  name!: string;

  @IsEmail()
  email!: string;

  @IsInt()
  age!: number;
}

@Controller('items')
class ProblemProbeController {
  @Get('missing')
  missing(): never {
    throw new ObjectIdNotFoundException();
  }

  @Get('slow')
  slow(): never {
    throw new RateLimitExceededException(30);
  }

  @Get('crash')
  crash(): never {
    throw new Error('database password=hunter2 rejected');
  }

  @Post('sign-up')
  signUp(@Body() body: SignUpDto): SignUpDto {
    return body;
  }
}

function start(adapter: AdapterName, options: ApiErrorsModuleOptions): Promise<RunningApp> {
  return startApp(
    adapter,
    { imports: [ApiErrorsModule.forRoot(options)], controllers: [ProblemProbeController] },
    app => app.useGlobalPipes(createValidationPipe({ whitelist: true })),
  );
}

/** Sends bytes as written (a request target the HTTP client would resolve) and returns the whole answer. */
function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port: Number(new URL(baseUrl).port), host: '127.0.0.1' });
    socket.on('data', chunk => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });
}

const PROBLEM = { accept: 'application/problem+json' };
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

describe.each(ADAPTERS)('problemDetails, on %s', adapter => {
  describe('with a type template', () => {
    let running: RunningApp;
    const get = (path: string, options: RequestOptions = {}) => send(running.baseUrl, path, options);
    beforeAll(async () => {
      running = await start(adapter, { problemDetails: { type: 'https://api.example.com/errors/{code}' } });
    });
    afterAll(() => running.close());

    it('answers a thrown exception in RFC 9457 format, without the query in instance', async () => {
      const response = await get('/items/missing?token=secret-value', { headers: PROBLEM });
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(response.json).toEqual({
        type: 'https://api.example.com/errors/object.id.notfound',
        title: expect.any(String),
        status: 404,
        detail: response.json.messages.join(' '),
        instance: '/items/missing',
        error_code: 'object.id.notfound',
        error_id: response.headers['x-error-id'],
        messages: expect.any(Array),
      });
      expect(response.text).not.toContain('secret-value');
    });

    it('gives a validation failure its messages by field, and a detail naming the fields', async () => {
      const response = await get('/items/sign-up', {
        method: 'POST',
        headers: PROBLEM,
        body: { name: 'Ada', email: 'not-an-email', age: 'old' },
      });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(Object.keys(response.json.messages).sort()).toEqual(['age', 'email']);
      expect(response.json.detail).toMatch(/email: /);
      expect(response.json.detail).toMatch(/age: /);
    });

    it('answers malformed JSON without repeating the body', async () => {
      const response = await get('/items/sign-up', {
        method: 'POST',
        headers: { ...PROBLEM, 'content-type': 'application/json' },
        body: '{"name": "sec',
      });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(response.json).toMatchObject({ error_code: 'request.validation.failed', instance: '/items/sign-up' });
      expect(response.text).not.toContain('"sec');
    });

    it('keeps only the path of an absolute-form request target', async () => {
      const text = await rawExchange(
        running.baseUrl,
        'GET http://api.example.com/items/missing?token=secret-value HTTP/1.1\r\nHost: api.example.com\r\n' +
          'Accept: application/problem+json\r\nConnection: close\r\n\r\n',
      );
      const body = JSON.parse(text.split('\r\n\r\n')[1] ?? '');
      expect(text).toMatch(/^HTTP\/1\.1 404 /);
      expect(body.instance).toBe('/items/missing');
      expect(text).not.toContain('secret-value');
    });

    it('answers an unmatched route', async () => {
      const response = await get('/nowhere?q=1', { headers: PROBLEM });
      expect(response.status).toBe(404);
      expect(response.json).toMatchObject({
        type: 'https://api.example.com/errors/request.route.notfound',
        error_code: 'request.route.notfound',
        instance: '/nowhere',
      });
    });

    it('says nothing internal in a 5xx', async () => {
      const response = await get('/items/crash', { headers: PROBLEM });
      expect(response.status).toBe(500);
      expect(response.json.error_code).toBe('server.internal.error');
      expect(response.text).not.toMatch(/hunter2|database|stack/);
      expect(response.json.detail).toBe(response.json.messages.join(' '));
    });

    it('keeps the code’s own fields as extension members', async () => {
      const response = await get('/items/slow', { headers: PROBLEM });
      expect(response.status).toBe(429);
      expect(response.json.retry_after).toBe(30);
      expect(response.headers['retry-after']).toBe('30');
    });

    it.each([
      ['application/problem+json', true],
      ['application/json, application/problem+json', true],
      ['application/problem+json;q=0.5, application/json;q=0.5', true],
      ['application/problem+json, */*;q=0.1', true],
      ['application/json, application/problem+json;q=0.9', false],
      ['application/problem+json;q=0.5, application/*', false],
      ['application/problem+json;q=0', false],
      ['*/*', false],
      ['application/*', false],
      ['application/json', false],
      ['text/html, application/problem+json;q=0.1, */*;q=0.2', false],
    ])('Accept: %s gives problem details: %s', async (accept, problem) => {
      const response = await get('/items/missing', { headers: { accept } });
      expect(response.headers['content-type']).toBe(problem ? PROBLEM_TYPE : JSON_TYPE);
      expect(response.json.status).toBe(problem ? 404 : 'error');
    });

    it('sends the envelope when Accept is absent', async () => {
      const response = await get('/items/missing');
      expect(response.headers['content-type']).toBe(JSON_TYPE);
      expect(response.json.status).toBe('error');
    });
  });

  describe('type defaults', () => {
    it('uses the docUrl page when there is one', async () => {
      const running = await start(adapter, { problemDetails: true, docUrl: 'https://docs.example.com/{code}' });
      try {
        const response = await send(running.baseUrl, '/items/missing', { headers: PROBLEM });
        expect(response.json.type).toBe('https://docs.example.com/object.id.notfound');
      } finally {
        await running.close();
      }
    });

    it('uses about:blank without a page', async () => {
      const running = await start(adapter, { problemDetails: true });
      try {
        const response = await send(running.baseUrl, '/items/missing', { headers: PROBLEM });
        expect(response.json.type).toBe('about:blank');
      } finally {
        await running.close();
      }
    });
  });

  it('is off by default: the envelope is byte for byte the same as with the option for other clients', async () => {
    const off = await start(adapter, { generateErrorId: () => 'fixed-id' });
    const on = await start(adapter, { generateErrorId: () => 'fixed-id', problemDetails: true });
    try {
      const plain = await send(off.baseUrl, '/items/sign-up', { method: 'POST', body: { email: 'x' } });
      const asked = await send(off.baseUrl, '/items/missing', { headers: PROBLEM });
      const other = await send(on.baseUrl, '/items/sign-up', { method: 'POST', body: { email: 'x' } });
      expect(asked.headers['content-type']).toBe(JSON_TYPE);
      expect(other.text).toBe(plain.text);
      expect(other.headers['content-type']).toBe(plain.headers['content-type']);
    } finally {
      await Promise.all([off.close(), on.close()]);
    }
  });
});

describe('problemDetails option checks', () => {
  it.each([[{ type: 'not a url' }], [{ type: 42 }], ['yes']])('rejects %p', value => {
    expect(() => resolveApiErrorsOptions({ problemDetails: value as never })).toThrow(ApiErrorsConfigurationError);
  });
});
