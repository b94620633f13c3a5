import { Controller, Get, Injectable, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { ApiErrorsFilter, ApiErrorsModule, type ResolvedError } from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';

/** Keeps every exception the filter answers, to look at what it was given. */
@Injectable()
class RecordingFilter extends ApiErrorsFilter {
  static readonly seen: unknown[] = [];

  protected override resolve(exception: unknown, host: ArgumentsHost): ResolvedError {
    RecordingFilter.seen.push(exception);
    return super.resolve(exception, host);
  }
}

@Controller('things')
class ThingsController {
  @Get('missing')
  missing(): never {
    throw new NotFoundException();
  }
}

describe.each(ADAPTERS)('a request no route matches (%s)', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(adapter, {
      imports: [ApiErrorsModule.forRoot({ filter: RecordingFilter, clientErrorLogLevel: false })],
      controllers: [ThingsController],
    });
  });
  afterAll(() => running.close());
  beforeEach(() => RecordingFilter.seen.splice(0));

  it('is 404 request.route.notfound, from the NotFoundException of Nest’s router, made without stack frames', async () => {
    const limit = Error.stackTraceLimit;
    const response = await send(running.baseUrl, '/nowhere?x=1', { method: 'DELETE' });
    expectError(response, 'request.route.notfound');
    const [exception] = RecordingFilter.seen as NotFoundException[];
    expect(exception).toBeInstanceOf(NotFoundException);
    expect(exception?.message).toBe('Cannot DELETE /nowhere?x=1');
    expect(exception?.stack?.split('\n')).toEqual(['NotFoundException: Cannot DELETE /nowhere?x=1']);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('leaves the stacks of exceptions thrown by routes alone', async () => {
    await send(running.baseUrl, '/nowhere');
    expectError(await send(running.baseUrl, '/things/missing'), 'object.id.notfound');
    const exception = RecordingFilter.seen[1] as NotFoundException;
    expect(exception.stack?.split('\n').length).toBeGreaterThan(1);
    expect(exception.stack).toContain('ThingsController.missing');
  });

  it('answers hundreds at once, each with its own error id, and the stack limit is as it was', async () => {
    const limit = Error.stackTraceLimit;
    const responses = await Promise.all(Array.from({ length: 300 }, (_, i) => send(running.baseUrl, `/gone/${i}`)));
    responses.forEach(response => expectError(response, 'request.route.notfound'));
    const ids = new Set(responses.map(response => (response.json as { error_id: string }).error_id));
    expect(ids.size).toBe(300);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
