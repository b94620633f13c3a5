import { Controller, Get } from '@nestjs/common';
import { ApiErrorsModule } from 'nestjs-api-errors';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';

// The errorIdFrom option: the error id is the request's own X-Request-Id or traceparent trace id when
// it is well-formed, and a generated one otherwise; an id that failed the check never leaves the server.

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
/** Unicode, as its UTF-8 bytes: what a client sends (Node's client takes them as latin1 characters). */
const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

@Controller('ids')
class IdsController {
  @Get('fail')
  fail(): never {
    throw new Error('a server fault');
  }
}

function expectGenerated(response: RawResponse, sent: string): void {
  expect(response.json.error_id).toMatch(GENERATED);
  expect(response.headers['x-error-id']).toBe(response.json.error_id);
  if (sent.length >= 8) {
    expect(response.text).not.toContain(sent);
    expect(JSON.stringify(response.headers)).not.toContain(sent);
  }
}

describe.each(ADAPTERS)('error ids from the request, on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(adapter, {
      imports: [ApiErrorsModule.forRoot({ errorIdFrom: ['x-request-id', 'traceparent'] })],
      controllers: [IdsController],
    });
  });
  afterAll(() => running.close());

  it.each(['/ids/fail', '/no/such/route'])('answers %s with a well-formed X-Request-Id as the id', async path => {
    const response = await send(running.baseUrl, path, {
      headers: { 'x-request-id': 'req_2026.11-27ab' },
    });
    expect(response.json.error_id).toBe('req_2026.11-27ab');
    expect(response.headers['x-error-id']).toBe('req_2026.11-27ab');
    // The log line carries the same id (whatever its layout).
    await running.logs.lineMatching(line => JSON.stringify(line).includes('req_2026.11-27ab'));
  });

  it('takes the trace id of a well-formed traceparent', async () => {
    const response = await send(running.baseUrl, '/ids/fail', { headers: { traceparent: TRACEPARENT } });
    expect(response.json.error_id).toBe(TRACE_ID);
  });

  it('prefers the first source in the list, and falls through a bad one to the next', async () => {
    const both = await send(running.baseUrl, '/ids/fail', {
      headers: { 'x-request-id': 'request-id-1', traceparent: TRACEPARENT },
    });
    expect(both.json.error_id).toBe('request-id-1');
    const badFirst = await send(running.baseUrl, '/ids/fail', {
      headers: { 'x-request-id': 'bad id with spaces', traceparent: TRACEPARENT },
    });
    expect(badFirst.json.error_id).toBe(TRACE_ID);
  });

  it.each([
    ['too short', 'abc1234'],
    ['10 kB', 'a'.repeat(10_240)],
    ['129 characters', 'b'.repeat(129)],
    ['a header injection attempt', 'abcdefgh%0d%0aSet-Cookie:%20x=1'],
    ['quotes', 'abc"def\'ghi'],
    ['markup', '<script>alert(1)</script>'],
    ['a tab', 'abcd\tefghij'],
    ['unicode', utf8('ïdentifïant-ünicode')],
    ['a JSON breaker', 'abcdefgh","error_code":"x'],
  ])('generates an id for an X-Request-Id with %s', async (_case, value) => {
    expectGenerated(await send(running.baseUrl, '/ids/fail', { headers: { 'x-request-id': value } }), value);
  });

  it('generates an id for a duplicated X-Request-Id', async () => {
    const response = await send(running.baseUrl, '/no/such/route', {
      headers: { 'x-request-id': ['request-id-1', 'request-id-2'] },
    });
    expectGenerated(response, 'request-id-1');
    expect(response.text).not.toContain('request-id-2');
  });

  it.each([
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['version 01', `01-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['trailing data', `${TRACEPARENT}-extra`],
    ['10 kB', `${TRACEPARENT}${'0'.repeat(10_240)}`],
    ['duplicated', [TRACEPARENT, TRACEPARENT]],
    ['unicode', utf8(`00-${TRACE_ID.slice(0, 31)}é-00f067aa0ba902b7-01`)],
  ])('generates an id for a traceparent with %s', async (_case, value) => {
    const response = await send(running.baseUrl, '/ids/fail', { headers: { traceparent: value } });
    expectGenerated(response, TRACE_ID);
  });
});

describe.each(ADAPTERS)('error ids without errorIdFrom, on %s', adapter => {
  let defaults: RunningApp;

  beforeAll(async () => {
    defaults = await startApp(adapter, { imports: [ApiErrorsModule.forRoot()], controllers: [IdsController] });
  });
  afterAll(() => defaults.close());

  it('is off by default: a well-formed X-Request-Id is not used', async () => {
    const response = await send(defaults.baseUrl, '/ids/fail', {
      headers: { 'x-request-id': 'request-id-1', traceparent: TRACEPARENT },
    });
    expectGenerated(response, 'request-id-1');
    expect(response.json.error_id).not.toBe(TRACE_ID);
  });
});
