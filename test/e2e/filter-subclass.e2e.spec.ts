// ---- The example of docs/filter.md, as it is there (a test below compares them). ----
import { Global, Injectable, Module, type ArgumentsHost } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiErrorRegistry,
  ApiErrorsFilter,
  ApiErrorsFilterOptions,
  ApiErrorsModule,
  type ResolvedError,
} from 'nestjs-api-errors';

/** Where server faults are reported: an error tracker, say. */
@Injectable()
export class FaultReporter {
  readonly reported: { errorId: string; exception: unknown }[] = [];

  report(errorId: string, exception: unknown): void {
    this.reported.push({ errorId, exception });
  }
}

@Global()
@Module({ providers: [FaultReporter], exports: [FaultReporter] })
export class FaultReporterModule {}

/** The package's filter, plus a link to the code's page in every body and 5xx errors sent to the reporter. */
@Injectable()
export class ReportingApiErrorsFilter extends ApiErrorsFilter {
  constructor(
    options: ApiErrorsFilterOptions,
    httpAdapterHost: HttpAdapterHost,
    registry: ApiErrorRegistry,
    private readonly reporter: FaultReporter,
  ) {
    super(options, httpAdapterHost, registry);
  }

  protected override resolve(exception: unknown, host: ArgumentsHost): ResolvedError {
    const error = super.resolve(exception, host);
    return { ...error, fields: { ...error.fields, help_url: `https://api.example.com/errors/${error.code}` } };
  }

  protected override log(exception: unknown, error: ResolvedError, errorId: string, request: unknown): void {
    super.log(exception, error, errorId, request);
    if (error.status >= 500) {
      this.reporter.report(errorId, exception);
    }
  }
}

@Module({ imports: [FaultReporterModule, ApiErrorsModule.forRoot({ filter: ReportingApiErrorsFilter })] })
export class AppModule {}
// ---- End of the example. ----

import { Controller, Get, Param, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { API_ERROR_CATALOGUE } from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { expectedErrorText, send } from '../support/http-client.js';

@Controller()
class ProbeController {
  @Get('crash')
  crash(): never {
    throw new Error('disk /var/secret full');
  }

  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }
}

/** The filters Nest applies to every request: what APP_FILTER providers registered. */
function globalFilters(app: INestApplication): ExceptionFilter[] {
  return (app as unknown as { config: ApplicationConfig }).config.getGlobalFilters();
}

/** Writes a request Node's HTTP parser refuses, and waits for the server to close the connection. */
function sendMalformedRequest(baseUrl: string): Promise<void> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: '127.0.0.1' });
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
    socket.write('HELLO THERE\r\n\r\n');
  });
}

const internalError = API_ERROR_CATALOGUE['server.internal.error'].message;

describe('docs/filter.md', () => {
  it('shows the example this suite runs', () => {
    const page = readFileSync(new URL('../../docs/filter.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const block = page.slice(page.indexOf('```ts\n') + 6, page.indexOf('```\n', page.indexOf('```ts\n') + 6));
    const example = source.slice(source.indexOf('\n') + 1, source.indexOf('// ---- End of the example. ----'));
    expect(block).toBe(example);
  });
});

describe.each(ADAPTERS)('a subclass of ApiErrorsFilter, on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(adapter, { imports: [AppModule], controllers: [ProbeController] });
  });
  afterAll(() => running.close());

  it('is the one global filter, created by Nest with its own dependency', () => {
    const filters = globalFilters(running.app);
    expect(filters).toHaveLength(1);
    expect(filters[0]).toBeInstanceOf(ReportingApiErrorsFilter);
    expect(filters[0]).toBe(running.app.get(ApiErrorsFilter));
  });

  it('adds its field to every body and reports 5xx with the id the client got', async () => {
    const reporter = running.app.get(FaultReporter);
    const res = await send(running.baseUrl, '/crash');
    expect(res.status).toBe(500);
    expect(res.text).toBe(
      expectedErrorText(res, 'server.internal.error', [internalError], {
        help_url: 'https://api.example.com/errors/server.internal.error',
      }),
    );
    expect(reporter.reported.map(report => report.errorId)).toEqual([res.json.error_id]);
    expect(running.logs.linesWith(res.json.error_id)).toHaveLength(1);
  });

  it('answers what the framework refuses (a path that cannot be decoded) the same way', async () => {
    const res = await send(running.baseUrl, '/items/%E0%A4%A');
    expect(res.status).toBe(422);
    expect(res.json.help_url).toBe('https://api.example.com/errors/request.validation.failed');
  });

  it('logs the requests Node’s HTTP parser refuses: the same instance serves the hooks', async () => {
    const filter = running.app.get(ApiErrorsFilter) as unknown as { log?: (...args: unknown[]) => void };
    const original = ReportingApiErrorsFilter.prototype['log' as keyof ReportingApiErrorsFilter] as (
      ...args: unknown[]
    ) => void;
    const logged: unknown[][] = [];
    filter.log = (...args) => {
      logged.push(args);
      original.apply(filter, args);
    };
    try {
      await sendMalformedRequest(running.baseUrl);
      expect(logged).toHaveLength(1);
      expect(logged[0]?.[1]).toMatchObject({ status: 400, code: 'request.failed' });
    } finally {
      delete filter.log;
    }
  });
});

describe.each(ADAPTERS)('filter: false, on %s', adapter => {
  it.each([
    ['forRoot({ filter: false })', () => ApiErrorsModule.forRoot({ filter: false })],
    [
      'forRootAsync({ filter: false, useFactory })',
      () => ApiErrorsModule.forRootAsync({ filter: false, useFactory: () => ({}) }),
    ],
  ])('%s registers no filter at all: Nest answers', async (_name, make) => {
    const running = await startApp(adapter, { imports: [make()], controllers: [ProbeController] });
    try {
      expect(globalFilters(running.app)).toEqual([]);
      const res = await send(running.baseUrl, '/crash', { skipErrorCheck: true });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ statusCode: 500, message: 'Internal server error' });
    } finally {
      await running.close();
    }
  });

  it('forRoot() registers ApiErrorsFilter itself, once', async () => {
    const running = await startApp(adapter, { imports: [ApiErrorsModule.forRoot()], controllers: [ProbeController] });
    try {
      const filters = globalFilters(running.app);
      expect(filters).toHaveLength(1);
      expect(filters[0]?.constructor).toBe(ApiErrorsFilter);
    } finally {
      await running.close();
    }
  });
});
