import { Controller, Get, HttpException, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  API_ERROR_CATALOGUE,
  ApiErrorsModule,
  ObjectIdNotFoundException,
  defineApiErrors,
  type ApiErrorsModuleOptions,
} from 'nestjs-api-errors';
import { ADAPTERS, NEST_HAS_ERROR_CODE, startApp, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';

const billing = defineApiErrors({ 'billing.card.declined': { status: 402, message: 'The card was declined.' } });
class CardDeclinedException extends billing.exception('billing.card.declined') {}

@Controller()
class ProbeController {
  @Get('missing')
  missing(): never {
    throw new ObjectIdNotFoundException();
  }

  @Get('ok')
  ok(): { id: number } {
    return { id: 1 };
  }

  @Get('declined')
  declined(): never {
    throw new CardDeclinedException();
  }

  @Get('foreign')
  foreign(): never {
    throw new HttpException('Declined upstream', 400, { errorCode: 'billing.card.declined' });
  }

  @Get('crash')
  crash(): never {
    throw new Error('disk /var/secret full');
  }
}

const CONFIG = Symbol('CONFIG');

@Module({ providers: [{ provide: CONFIG, useValue: { logLevel: 'warn' as const } }], exports: [CONFIG] })
class ConfigModule {}

@Injectable()
class OptionsFactory {
  constructor(@Inject(CONFIG) private readonly config: { logLevel: 'warn' }) {}
  create(): ApiErrorsModuleOptions {
    return { clientErrorLogLevel: this.config.logLevel };
  }
}

@Module({ imports: [ConfigModule], providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsModule {}

const notFound = API_ERROR_CATALOGUE['object.id.notfound'].message;

describe.each(ADAPTERS)('ApiErrorsModule registration on %s', adapter => {
  const apps: RunningApp[] = [];
  const start = async (imports: unknown[]): Promise<RunningApp> => {
    const running = await startApp(adapter, { imports: imports as never[], controllers: [ProbeController] });
    apps.push(running);
    return running;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(running => running.close()));
  });

  it.each([
    ['forRoot()', () => ApiErrorsModule.forRoot()],
    ['forRoot({})', () => ApiErrorsModule.forRoot({})],
    [
      'forRootAsync({ imports, inject, useFactory })',
      () =>
        ApiErrorsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { logLevel: 'warn' }) => ({ clientErrorLogLevel: config.logLevel }),
        }),
    ],
    [
      'forRootAsync({ useClass })',
      () => ApiErrorsModule.forRootAsync({ imports: [ConfigModule], useClass: OptionsFactory }),
    ],
    [
      'forRootAsync({ useExisting })',
      () => ApiErrorsModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFactory }),
    ],
  ])('%s registers a working filter and envelope', async (_name, make) => {
    const running = await start([make()]);
    const res = await send(running.baseUrl, '/missing');
    expectError(res, 'object.id.notfound', { messages: [notFound] });
    expect((await send(running.baseUrl, '/ok')).text).toBe('{"status":"success","id":1}');
  });

  it('takes async options into account (log level from an injected config)', async () => {
    const running = await start([ApiErrorsModule.forRootAsync({ imports: [ConfigModule], useClass: OptionsFactory })]);
    const res = await send(running.baseUrl, '/missing');
    expect(running.logs.linesWith(res.json.error_id)[0]?.level).toBe('warn');
  });

  it('filter: false leaves errors to Nest (the code still travels in errorCode)', async () => {
    const running = await start([ApiErrorsModule.forRoot({ filter: false })]);
    const res = await send(running.baseUrl, '/missing', { skipErrorCheck: true });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ status: 'error', error_code: 'object.id.notfound', messages: [notFound] });
    expect(res.headers['x-error-id']).toBeUndefined();
  });

  it('successEnvelope: false leaves bodies untouched', async () => {
    const running = await start([ApiErrorsModule.forRoot({ successEnvelope: false })]);
    expect((await send(running.baseUrl, '/ok')).text).toBe('{"id":1}');
  });

  it('errorIdHeader renames or drops the header; the body keeps the id', async () => {
    const renamed = await start([ApiErrorsModule.forRoot({ errorIdHeader: 'X-Request-Error' })]);
    const res = await send(renamed.baseUrl, '/missing', { skipErrorCheck: true });
    expect(res.headers['x-request-error']).toBe(res.json.error_id);
    expect(res.headers['x-error-id']).toBeUndefined();

    const dropped = await start([ApiErrorsModule.forRoot({ errorIdHeader: false })]);
    const bare = await send(dropped.baseUrl, '/missing', { skipErrorCheck: true });
    expect(bare.headers['x-error-id']).toBeUndefined();
    expect(bare.json.error_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generateErrorId is used for the body, the header and the log line', async () => {
    let n = 0;
    const running = await start([ApiErrorsModule.forRoot({ generateErrorId: () => `err-${++n}` })]);
    const res = await send(running.baseUrl, '/missing');
    expect(res.json.error_id).toBe('err-1');
    expect(res.headers['x-error-id']).toBe('err-1');
    expect(running.logs.linesWith('error_id=err-1')).toHaveLength(1);
  });

  it.each([
    ['warn', 'warn'],
    ['debug', 'debug'],
  ] as const)('clientErrorLogLevel: %s logs 4xx at that level', async (level, expected) => {
    const running = await start([ApiErrorsModule.forRoot({ clientErrorLogLevel: level })]);
    const res = await send(running.baseUrl, '/missing');
    expect(running.logs.linesWith(res.json.error_id).map(line => line.level)).toEqual([expected]);
  });

  it('clientErrorLogLevel: false does not log 4xx, but still logs 5xx with their stack', async () => {
    const running = await start([ApiErrorsModule.forRoot({ clientErrorLogLevel: false })]);
    const client = await send(running.baseUrl, '/missing');
    expect(running.logs.linesWith(client.json.error_id)).toHaveLength(0);
    const server = await send(running.baseUrl, '/crash');
    const lines = running.logs.linesWith(server.json.error_id);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('error');
    expect(entryOf(lines[0]).stack).toContain('disk /var/secret full');
    expect(server.text).not.toContain('disk');
  });

  it('knows registered app codes, thrown or in a foreign errorCode', async () => {
    const running = await start([ApiErrorsModule.forRoot({ catalogues: [billing] })]);
    const thrown = await send(running.baseUrl, '/declined');
    expectError(thrown, 'billing.card.declined', { status: 402, messages: ['The card was declined.'] });
    const foreign = await send(running.baseUrl, '/foreign');
    if (NEST_HAS_ERROR_CODE) {
      expectError(foreign, 'billing.card.declined', { status: 402, messages: ['Declined upstream'] });
    } else {
      // Nest 11's HttpException has no errorCode: the exception is answered by its status alone.
      expectError(foreign, 'request.validation.failed', { messages: ['Declined upstream'] });
    }
  });

  it('without the catalogue registered, a foreign errorCode it does not know maps by status', async () => {
    const running = await start([ApiErrorsModule.forRoot()]);
    const foreign = await send(running.baseUrl, '/foreign');
    expect(foreign.status).toBe(422);
    expect(foreign.json.error_code).toBe('request.validation.failed');
  });

  it('stops the start-up on a code defined twice, naming it', async () => {
    const twice = defineApiErrors({ 'billing.card.declined': { status: 400, message: 'Again.' } });
    const compile = Test.createTestingModule({
      imports: [ApiErrorsModule.forRoot({ catalogues: [billing, twice] })],
    }).compile();
    await expect(compile).rejects.toThrow('the error code "billing.card.declined" is defined twice');
  });
});
