// Errors the adapters raise before Nest routes the request (Fastify's router: a URL that cannot be
// percent-decoded, a route parameter over maxParamLength) end in the envelope, as every other error.
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import { Test } from '@nestjs/testing';
import { apiErrorsFastifyOptions } from 'nestjs-api-errors';
import { FASTIFY_OPTIONS_WARNING } from '../../lib/adapters/fastify.js';
import { INVALID_URL_MESSAGE } from '../../lib/filter/framework-errors.js';
import { FixtureModule } from '../fixtures/fixture.module.js';
import { ADAPTERS, startApp, startFixture, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';
import { LogCapture } from '../support/log-capture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LONG_PARAM = 'a'.repeat(101); // Fastify's default maxParamLength is 100

describe.each(ADAPTERS)('framework errors on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it.each(['/errors/code/%ff%fe', '/validation/items/%E0%A4%A', '/validation/items/%'])(
    'answers %s (a path that is not correctly percent-encoded) with 422 and the invalid-URL message',
    async path => {
      const res = await send(running.baseUrl, path);

      expect(res.json.error_id).toMatch(UUID);
      expect(res.headers['x-error-id']).toBe(res.json.error_id);
      expectError(res, 'request.validation.failed', { messages: [INVALID_URL_MESSAGE] });
    },
  );

  it('logs a bad URL once, under the id of its answer, without the query', async () => {
    running.logs.clear();
    const res = await send(running.baseUrl, '/errors/code/%ff?token=secret-query-value');

    const lines = running.logs.linesWith(res.json.error_id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'log', extra: ['ApiErrors'] });
    expect(entryOf(lines[0]).msg).toBe(
      `422 request.validation.failed error_id=${res.json.error_id} GET /errors/code/%ff`,
    );
    expect(running.logs.text()).not.toContain('secret-query-value');
  });

  it('answers a HEAD with a bad URL with the envelope’s headers and no body', async () => {
    const res = await send(running.baseUrl, '/errors/code/%ff', { method: 'HEAD', skipErrorCheck: true });
    expect(res.status).toBe(422);
    expect(res.text).toBe('');
    expect(res.headers['x-error-id']).toMatch(UUID);
  });

  it('answers a query value that is not correctly percent-encoded as any other bad value', async () => {
    const res = await send(running.baseUrl, '/validation/search?limit=%ff%fe');

    expectError(res, 'request.validation.failed', {
      messages: {
        limit: [
          'limit must not be greater than 100',
          'limit must not be less than 1',
          'limit must be an integer number',
        ],
      },
    });
  });

  it('passes a query string with a bad percent-encoding in a free-text field to the handler', async () => {
    const res = await send(running.baseUrl, '/validation/search?limit=5&sort_by=%E0%A4%A');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'success', limit: 5 });
  });

  it('answers a route parameter over Fastify’s maxParamLength with the envelope (Express has no such limit)', async () => {
    const res = await send(running.baseUrl, `/validation/items/${LONG_PARAM}`);

    if (adapter === 'fastify') {
      expectError(res, 'request.failed', { status: 414 });
    } else {
      expectError(res, 'request.validation.failed', { messages: { id: ['id must be a UUID'] } });
    }
  });

  it('logs a body that ends before its Content-Length (the client went away) as a 400, not as a server fault', async () => {
    running.logs.clear();
    const logged = running.logs.lineMatching(line => line.extra.includes('ApiErrors'));
    const { port } = new URL(running.baseUrl);
    await new Promise<void>(resolve => {
      const socket = connect({ port: Number(port), host: '127.0.0.1' });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
      socket.end(
        'POST /validation/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"first_name":',
      );
      setTimeout(() => socket.destroy(), 300);
    });
    await logged;

    const lines = running.logs.apiErrorLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('log');
    expect(entryOf(lines[0]).msg).toMatch(/^400 request\.failed error_id=\S+ POST \/validation\/users$/);
  });

  it('does not warn at start-up when the adapter is set up as the README says', () => {
    expect(running.logs.lines.filter(line => line.level === 'warn')).toEqual([]);
  });
});

describe('Fastify without apiErrorsFastifyOptions()', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(
      'fastify',
      { imports: [FixtureModule.register()] },
      () => {},
      {},
      { withoutFastifyOptions: true },
    );
  });
  afterAll(() => running.close());

  it('warns once at start-up, saying what to add', () => {
    const warnings = running.logs.lines.filter(line => line.level === 'warn');
    expect(warnings).toEqual([{ level: 'warn', message: FASTIFY_OPTIONS_WARNING, extra: ['ApiErrors'] }]);
    expect(FASTIFY_OPTIONS_WARNING).toContain('new FastifyAdapter(apiErrorsFastifyOptions())');
  });

  it('leaves a bad URL to Fastify (which is what the warning is about)', async () => {
    const res = await send(running.baseUrl, '/errors/code/%ff', { skipErrorCheck: true });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'FST_ERR_BAD_URL' });
  });
});

describe('apiErrorsFastifyOptions()', () => {
  it('keeps the user’s own Fastify options', () => {
    const options = apiErrorsFastifyOptions({ bodyLimit: 1234, routerOptions: { maxParamLength: 500 } });
    expect(options).toMatchObject({ bodyLimit: 1234, routerOptions: { maxParamLength: 500 } });
    expect(typeof options.frameworkErrors).toBe('function');
  });

  it('answers through the user’s own maxParamLength', async () => {
    const logs = new LogCapture();
    const moduleRef = await Test.createTestingModule({ imports: [FixtureModule.register()] })
      .setLogger(logs)
      .compile();
    const app = moduleRef.createNestApplication(
      new FastifyAdapter(apiErrorsFastifyOptions({ routerOptions: { maxParamLength: 20 } })),
      {
        logger: logs,
      },
    );
    await app.listen(0, '127.0.0.1');
    try {
      const baseUrl = (await app.getUrl()).replace(/\/\/[^:/]+/, '//127.0.0.1');
      const res = await send(baseUrl, `/validation/items/${'b'.repeat(21)}`);
      expect(res.status).toBe(414);
      expect(res.json.error_code).toBe('request.failed');
      expect(logs.lines.filter(line => line.level === 'warn')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('hands the error to Fastify when the filter is turned off (filter: false), without a warning', async () => {
    const off = await startApp('fastify', { imports: [FixtureModule.register({ filter: false })] });
    try {
      const res = await send(off.baseUrl, '/errors/code/%ff', { skipErrorCheck: true });
      expect(res.status).toBe(400);
      expect(res.headers['x-error-id']).toBeUndefined();
      expect(off.logs.lines.filter(line => line.level === 'warn')).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
