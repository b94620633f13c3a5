import { InternalServerErrorException } from '@nestjs/common';
import { connect } from 'node:net';
import {
  ApiErrorsModule,
  type ApiErrorEvent,
  type ApiErrorReporter,
  type ApiErrorsModuleOptions,
} from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { ReportedController } from '../fixtures/reported.fixture.js';
import { send } from '../support/http-client.js';

// The onError and reporters options: called once per error response, after it is written, and never
// able to change or delay it.

const SECRET = 'reporter-secret-token-5f1c';

/** Records what it is given; `hold` keeps every report pending until released. */
class RecordingReporter implements ApiErrorReporter {
  readonly events: ApiErrorEvent[] = [];
  private waiters: ((event: ApiErrorEvent) => void)[] = [];
  release: () => void = () => {};
  private readonly held = new Promise<void>(resolve => (this.release = resolve));

  report(event: ApiErrorEvent): Promise<void> {
    this.events.push(event);
    for (const waiter of this.waiters.splice(0)) {
      waiter(event);
    }
    return this.held;
  }

  next(): Promise<ApiErrorEvent> {
    return new Promise(resolve => this.waiters.push(resolve));
  }
}

describe.each(ADAPTERS)('error reporters, on %s', adapter => {
  let running: RunningApp;
  const onErrorEvents: ApiErrorEvent[] = [];
  const reporter = new RecordingReporter();
  let mode: 'ok' | 'throw' | 'reject' = 'ok';

  beforeAll(async () => {
    running = await startApp(adapter, {
      imports: [
        ApiErrorsModule.forRoot({
          onError: event => {
            onErrorEvents.push(event);
            if (mode === 'throw') {
              throw new Error(`cannot reach the tracker with ${SECRET}`);
            }
            return mode === 'reject' ? Promise.reject(new TypeError(SECRET)) : undefined;
          },
          reporters: [reporter],
        }),
      ],
      controllers: [ReportedController],
    });
  });
  afterAll(async () => {
    reporter.release();
    await running.close();
  });
  beforeEach(() => {
    mode = 'ok';
    onErrorEvents.length = 0;
    reporter.events.length = 0;
  });

  it("calls onError and each reporter once per error, with the answer's id, code, status and exception", async () => {
    const reported = reporter.next();
    const response = await send(running.baseUrl, '/reported/server');
    const event = await reported;
    expect(response.status).toBe(500);
    expect(event).toMatchObject({ errorId: response.json.error_id, code: 'server.internal.error', status: 500 });
    expect(event.exception).toBeInstanceOf(InternalServerErrorException);
    expect((event.request as { url: string }).url).toBe('/reported/server');
    expect(onErrorEvents).toEqual([event]);
    expect(reporter.events).toEqual([event]);
  });

  it("reports 4xx answers and the router's 404 too", async () => {
    const reported = reporter.next();
    const response = await send(running.baseUrl, '/no/such/route');
    const event = await reported;
    expect(response.status).toBe(404);
    expect(event).toMatchObject({ errorId: response.json.error_id, code: response.json.error_code, status: 404 });
  });

  it('answers while a reporter is still pending (a slow tracker)', async () => {
    // The recording reporter's promise stays pending until afterAll: the answer does not wait for it.
    const reported = reporter.next();
    const response = await send(running.baseUrl, '/reported/client');
    expect(response.status).toBe(404);
    expect((await reported).errorId).toBe(response.json.error_id);
  });

  it.each(['throw', 'reject'] as const)(
    'logs a reporter that fails (%s) without its message, and the answer is unchanged',
    async failure => {
      mode = failure;
      const response = await send(running.baseUrl, '/reported/server');
      expect(response.status).toBe(500);
      expect(response.json.error_code).toBe('server.internal.error');
      const line = await running.logs.lineMatching(
        candidate =>
          candidate.message.startsWith('error reporter failed') &&
          candidate.message.includes(response.json.error_id as string),
      );
      expect(line.level).toBe('error');
      expect(line.message).toContain(failure === 'throw' ? '(Error)' : '(TypeError)');
      expect(JSON.stringify(running.logs.lines)).not.toContain(SECRET);
      expect(response.text).not.toContain(SECRET);
    },
  );

  it("reports a request Node's parser refused, with no request", async () => {
    const reported = reporter.next();
    const { port } = new URL(running.baseUrl);
    const socket = connect({ port: Number(port), host: '127.0.0.1' });
    const answer = new Promise<string>(resolve => {
      const chunks: Buffer[] = [];
      socket.on('data', chunk => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    socket.write('GET /reported/client HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
    const event = await reported;
    const text = await answer;
    expect(text.startsWith('HTTP/1.1 400')).toBe(true);
    expect(event.status).toBe(400);
    expect(event.request).toBeUndefined();
    expect(text).toContain(`"error_id":"${event.errorId}"`);
  });
});

describe('observability options, checked at start-up', () => {
  it.each([
    [{ onError: 'report' }, 'onError is not a function'],
    [{ reporters: [{ send: () => {} }] }, 'reporters is not a list of objects with a report() method'],
    [{ reporters: {} }, 'reporters is not a list of objects with a report() method'],
    [{ errorIdFrom: ['x-forwarded-for'] }, 'errorIdFrom is not a list of id sources'],
    [{ errorIdFrom: 'traceparent' }, 'errorIdFrom is not a list of id sources'],
    [{ openTelemetry: 'yes' }, 'openTelemetry is not a boolean'],
  ])('refuses %j', async (options, message) => {
    await expect(
      startApp('express', { imports: [ApiErrorsModule.forRoot(options as ApiErrorsModuleOptions)] }),
    ).rejects.toThrow(message);
  });
});
