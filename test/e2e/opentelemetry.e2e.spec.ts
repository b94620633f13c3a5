import { Controller, Get } from '@nestjs/common';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiErrorsModule, ApiException, type ApiErrorsModuleOptions } from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';

// The openTelemetry option, with the real SDK: a middleware makes a span active around each request
// (as an instrumentation would), and the spans are read back from an in-memory exporter.

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = trace.getTracer('opentelemetry-e2e');

/** Resolves with a request's span once it has ended, by the test's `x-test-span` header. */
const ended = new Map<string, (span: ReadableSpan) => void>();

function spanAround(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const name = String(request.headers['x-test-span']);
  const span = tracer.startSpan(name);
  response.on('finish', () => {
    span.end();
    ended.get(name)?.(exporter.getFinishedSpans().find(finished => finished.name === name) as ReadableSpan);
  });
  context.with(trace.setSpan(context.active(), span), next);
}

@Controller('traced')
class TracedController {
  @Get('server')
  server(): never {
    throw new Error('a server fault');
  }

  @Get('client')
  client(): never {
    throw new ApiException('request.route.notfound');
  }
}

async function start(adapter: (typeof ADAPTERS)[number], options: ApiErrorsModuleOptions): Promise<RunningApp> {
  return startApp(adapter, { imports: [ApiErrorsModule.forRoot(options)], controllers: [TracedController] }, app =>
    app.use(spanAround),
  );
}

async function traced(running: RunningApp, path: string, name: string) {
  const span = new Promise<ReadableSpan>(resolve => ended.set(name, resolve));
  const response = await send(running.baseUrl, path, { headers: { 'x-test-span': name } });
  return { response, span: await span };
}

describe.each(ADAPTERS)('OpenTelemetry, on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await start(adapter, { openTelemetry: true });
  });
  afterAll(() => running.close());

  it('marks a 5xx: error.type, error.id, the exception and the ERROR status', async () => {
    const { response, span } = await traced(running, '/traced/server', `${adapter}-5xx`);
    expect(response.status).toBe(500);
    expect(span.attributes).toMatchObject({
      'error.type': 'server.internal.error',
      'error.id': response.json.error_id,
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    const exception = span.events.find(event => event.name === 'exception');
    expect(exception?.attributes?.['exception.message']).toBe('a server fault');
  });

  it('marks a 4xx with its code and id only: the span stays unset, with no exception', async () => {
    const { response, span } = await traced(running, '/traced/client', `${adapter}-4xx`);
    expect(response.status).toBe(404);
    expect(span.attributes).toMatchObject({
      'error.type': 'request.route.notfound',
      'error.id': response.json.error_id,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events).toEqual([]);
  });
});

describe.each(ADAPTERS)('OpenTelemetry off (the default), on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await start(adapter, {});
  });
  afterAll(() => running.close());

  it('leaves the span alone', async () => {
    const { response, span } = await traced(running, '/traced/server', `${adapter}-off`);
    expect(response.status).toBe(500);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });
});
