import {
  Inject,
  Injectable,
  InternalServerErrorException,
  Module,
  Scope,
  type Provider,
  type Type,
} from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import {
  API_ERROR_REPORTER,
  ApiErrorsConfigurationError,
  ApiErrorsModule,
  ApiException,
  type ApiErrorEvent,
  type ApiErrorReporter,
} from 'nestjs-api-errors';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { ReportedController } from '../fixtures/reported.fixture.js';
import { send, type RawResponse } from '../support/http-client.js';

// Reporters that are providers, registered under API_ERROR_REPORTER in any module of the application:
// called like the `reporters` option's entries (after `onError` and them), once per error response, and
// checked at start-up.

const SECRET = 'token-reporter-secret-9d2e';

/** Every call of every reporter of one app, in the order they were made. */
class CallLog {
  readonly calls: { who: string; event: ApiErrorEvent }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  record(who: string, event: ApiErrorEvent): void {
    this.calls.push({ who, event });
    for (const waiter of [...this.waiters]) {
      if (this.calls.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `count` calls in all were made, then one more turn of the event loop (to see any extra). */
  async settled(count: number): Promise<{ who: string; event: ApiErrorEvent }[]> {
    if (this.calls.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${this.calls.length} reporter calls, not ${count}`)), 2000);
        this.waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    }
    await new Promise(resolve => setImmediate(resolve));
    await new Promise(resolve => setImmediate(resolve));
    return this.calls;
  }

  clear(): void {
    this.calls.length = 0;
  }
}

/** A stand-in for an error tracker's SDK client: the reporter's constructor dependency. */
@Injectable()
class TrackerClient {
  readonly sent: ApiErrorEvent[] = [];
  failure: 'throw' | 'reject' | undefined;
}

const CALL_LOG = Symbol('CALL_LOG');

@Injectable()
class TrackerReporter implements ApiErrorReporter {
  constructor(
    private readonly client: TrackerClient,
    @Inject(CALL_LOG) private readonly log: CallLog,
  ) {}

  report(event: ApiErrorEvent): Promise<void> | void {
    this.log.record('tracker', event);
    this.client.sent.push(event);
    const authorization = (event.request as { headers: Record<string, string> }).headers.authorization;
    if (this.client.failure === 'throw') {
      throw new Error(`tracker refused ${authorization}`);
    }
    if (this.client.failure === 'reject') {
      return Promise.reject(new TypeError(`tracker unreachable with ${authorization}`));
    }
    return undefined;
  }
}

@Injectable()
class AuditReporter implements ApiErrorReporter {
  constructor(@Inject(CALL_LOG) private readonly log: CallLog) {}

  report(event: ApiErrorEvent): void {
    this.log.record('audit', event);
  }
}

function appModules(log: CallLog) {
  const callLog: Provider = { provide: CALL_LOG, useValue: log };

  @Module({ providers: [callLog, TrackerClient, { provide: API_ERROR_REPORTER, useClass: TrackerReporter }] })
  class TrackingModule {}

  @Module({
    providers: [callLog, AuditReporter, { provide: API_ERROR_REPORTER, useExisting: AuditReporter }],
    exports: [AuditReporter],
  })
  class AuditModule {}

  // The same instance again, from a third module: called once.
  @Module({ imports: [AuditModule], providers: [{ provide: API_ERROR_REPORTER, useExisting: AuditReporter }] })
  class AuditAgainModule {}

  return { TrackingModule, AuditModule, AuditAgainModule };
}

describe.each(ADAPTERS)('reporters registered under API_ERROR_REPORTER, on %s', adapter => {
  let running: RunningApp;
  const log = new CallLog();
  let client: TrackerClient;

  beforeAll(async () => {
    const { TrackingModule, AuditModule, AuditAgainModule } = appModules(log);
    running = await startApp(adapter, {
      imports: [
        ApiErrorsModule.forRoot({
          onError: event => log.record('onError', event),
          reporters: [{ report: event => log.record('option', event) }],
        }),
        TrackingModule,
        AuditModule,
        AuditAgainModule,
      ],
      controllers: [ReportedController],
    });
    client = running.app.get(TrackerClient, { strict: false });
  });
  afterAll(() => running.close());
  beforeEach(() => {
    log.clear();
    client.sent.length = 0;
    client.failure = undefined;
  });

  function expectEvent(event: ApiErrorEvent, response: RawResponse, path: string): void {
    expect(event.errorId).toBe(response.headers['x-error-id']);
    expect(event.errorId).toBe(response.json.error_id);
    expect(event).toMatchObject({ code: response.json.error_code, status: response.status });
    expect((event.request as { url: string }).url).toBe(path);
  }

  it('calls a class with a constructor dependency once per error response, with its id, code, status, exception and request', async () => {
    const response = await send(running.baseUrl, '/reported/server');
    expectError(response, 'server.internal.error');
    const calls = await log.settled(4);
    const tracked = calls.filter(call => call.who === 'tracker').map(call => call.event);
    expect(tracked).toHaveLength(1);
    expectEvent(tracked[0]!, response, '/reported/server');
    expect(tracked[0]!.exception).toBeInstanceOf(InternalServerErrorException);
    // Its injected client is the module's instance.
    expect(client.sent).toEqual(tracked);
  });

  it('calls onError, the reporters option, then each provider of every module, each once, in that order', async () => {
    const response = await send(running.baseUrl, '/reported/client');
    expectError(response, 'request.route.notfound');
    const calls = await log.settled(4);
    expect(calls.map(call => call.who)).toEqual(['onError', 'option', 'tracker', 'audit']);
    for (const { event } of calls) {
      expectEvent(event, response, '/reported/client');
      expect(event.exception).toBeInstanceOf(ApiException);
    }
  });

  it('calls none for a success response', async () => {
    const ok = await send(running.baseUrl, '/reported/ok');
    expect(ok.status).toBe(200);
    // The next error's calls come after any the success would have made.
    const response = await send(running.baseUrl, '/reported/server');
    const calls = await log.settled(4);
    expect(calls).toHaveLength(4);
    expect(calls.every(call => call.event.errorId === response.json.error_id)).toBe(true);
  });

  it.each(['throw', 'reject'] as const)(
    'logs a provider that fails (%s) by its kind and error id only; the answer and the other reporters are unchanged',
    async failure => {
      client.failure = failure;
      const response = await send(running.baseUrl, '/reported/server', {
        headers: { authorization: `Bearer ${SECRET}` },
      });
      expectError(response, 'server.internal.error');
      const errorId = response.json.error_id as string;
      const line = await running.logs.lineMatching(
        candidate => candidate.message.startsWith('error reporter failed') && candidate.message.includes(errorId),
      );
      const calls = await log.settled(4);
      expect(calls.map(call => call.who)).toEqual(['onError', 'option', 'tracker', 'audit']);
      expect(line.level).toBe('error');
      expect(line.message).toBe(
        `error reporter failed (${failure === 'throw' ? 'Error' : 'TypeError'}) for error_id=${errorId} server.internal.error`,
      );
      expect(running.logs.lines.filter(candidate => candidate.message.startsWith('error reporter failed'))).toEqual([
        line,
      ]);
      expect(running.logs.text()).not.toContain(SECRET);
      expect(response.text).not.toContain(SECRET);
      running.logs.clear();
    },
  );
});

describe.each(ADAPTERS)('no provider under API_ERROR_REPORTER, on %s', adapter => {
  it('starts, and answers errors as before', async () => {
    const running = await startApp(adapter, {
      imports: [ApiErrorsModule.forRoot()],
      controllers: [ReportedController],
    });
    try {
      expectError(await send(running.baseUrl, '/reported/server'), 'server.internal.error');
      expect(running.logs.text()).not.toContain('error reporter failed');
    } finally {
      await running.close();
    }
  });
});

@Injectable({ scope: Scope.REQUEST })
class RequestScopedReporter implements ApiErrorReporter {
  report(): void {}
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientReporter implements ApiErrorReporter {
  report(): void {}
}

@Injectable()
class RequestDependentReporter implements ApiErrorReporter {
  constructor(@Inject(REQUEST) readonly request: unknown) {}
  report(): void {}
}

describe.each(ADAPTERS)('providers under API_ERROR_REPORTER, checked at start-up, on %s', adapter => {
  /** What starting an app with these modules throws; an app that starts is closed, and gives `undefined`. */
  async function startFailure(...modules: Type[]): Promise<unknown> {
    try {
      const running = await startApp(adapter, { imports: [ApiErrorsModule.forRoot(), ...modules] });
      await running.close();
      return undefined;
    } catch (error) {
      return error;
    }
  }
  const featureModule = (providers: Provider[]): Type => {
    @Module({ providers })
    class FeatureModule {}
    return FeatureModule;
  };

  it.each([
    ['request-scoped', [{ provide: API_ERROR_REPORTER, useClass: RequestScopedReporter }]],
    ['transient', [{ provide: API_ERROR_REPORTER, useClass: TransientReporter }]],
    ['depending on the request', [{ provide: API_ERROR_REPORTER, useClass: RequestDependentReporter }]],
    [
      'an alias of a request-scoped provider',
      [RequestScopedReporter, { provide: API_ERROR_REPORTER, useExisting: RequestScopedReporter }],
    ],
  ] as [string, Provider[]][])('refuses a reporter %s', async (_, providers) => {
    const failure = await startFailure(featureModule(providers));
    expect(failure).toBeInstanceOf(ApiErrorsConfigurationError);
    expect((failure as Error).message).toBe(
      'nestjs-api-errors: a provider under API_ERROR_REPORTER is request-scoped or transient (or depends on one). ' +
        'Reporters are called after the request is answered, by one instance for the whole application: ' +
        'make it default (singleton) scope, with no request-scoped dependency',
    );
  });

  it.each([
    ['an instance of Object', { send: () => {} }],
    ['null', null],
    ['a string', `sk_live_${SECRET}`],
  ])('refuses a value without report(): %s', async (kind, value) => {
    const failure = await startFailure(featureModule([{ provide: API_ERROR_REPORTER, useValue: value }]));
    expect(failure).toBeInstanceOf(ApiErrorsConfigurationError);
    expect((failure as Error).message).toContain(
      `a provider under API_ERROR_REPORTER is not an object with a report() method (it is ${kind})`,
    );
    expect((failure as Error).message).not.toContain(SECRET);
  });

  it('refuses a wrong provider beside a good one of another module', async () => {
    const failure = await startFailure(
      featureModule([{ provide: API_ERROR_REPORTER, useValue: { report: () => {} } }]),
      featureModule([{ provide: API_ERROR_REPORTER, useFactory: () => ({ report: 'no' }) }]),
    );
    expect(failure).toBeInstanceOf(ApiErrorsConfigurationError);
    expect((failure as Error).message).toContain('(it is an instance of Object)');
  });
});
