// Seeded random requests against the sample app on both adapters: malformed URLs, odd methods, headers of
// every kind, bodies of every media type and size, deep and poisoned JSON. Every error answer must be an
// envelope, none a 5xx, no body may show internals, and Object.prototype must come out as it went in.
// A failure prints the seed and the index of each request that failed: FUZZ_SEED=<seed> replays the run
// (`npm run fuzz -- --seed <seed> --first <index> --requests 1` replays one request).
import { TOO_DEEP_MESSAGE } from '../../lib/validation/create-validation-pipe.js';
import { ADAPTERS, startFixture, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';
import {
  formatProblems,
  generateRequest,
  prototypeSnapshot,
  runFuzz,
  serializeRequest,
  type FuzzReport,
} from '../support/fuzz.js';
import { startFuzzedSampleApp, type FuzzedApp } from '../support/fuzz-sample-app.js';

const SEED = process.env.FUZZ_SEED === undefined ? 20261126 : Number(process.env.FUZZ_SEED);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);

describe('the fuzz generator', () => {
  it('makes the same bytes for the same seed and index', () => {
    for (const index of [0, 1, 99, 2024]) {
      expect(serializeRequest(generateRequest(SEED, index), 'h')).toEqual(
        serializeRequest(generateRequest(SEED, index), 'h'),
      );
    }
    expect(serializeRequest(generateRequest(SEED, 1), 'h')).not.toEqual(
      serializeRequest(generateRequest(SEED + 1, 1), 'h'),
    );
  });

  it('covers what it is meant to', () => {
    const labels = Array.from({ length: 3000 }, (_, index) => generateRequest(SEED, index).label).join('\n');
    for (const kind of [
      'json-poisoned',
      'json-deep-array-10000',
      'json-malformed',
      'json-huge',
      'multipart',
      'form',
      'binary',
      'text',
      'content-length-short',
      'content-length-long',
      'chunked',
      'parser-level',
    ]) {
      expect(labels).toContain(kind);
    }
  });
});

describe.each(ADAPTERS)('fuzzing the sample app on %s', adapter => {
  let running: FuzzedApp;
  let before: string[];
  let report: FuzzReport;

  beforeAll(async () => {
    before = prototypeSnapshot();
    running = await startFuzzedSampleApp(adapter);
    report = await runFuzz({
      port: running.port,
      seed: SEED,
      requests: REQUESTS,
      concurrency: 6,
      context: running.context,
    });
  }, 120_000);
  afterAll(() => running?.close());

  function explain(): string {
    return `seed ${SEED} on ${adapter}: ${JSON.stringify({ ...report, problems: undefined })}\n${formatProblems(report)}\n${running.errors.slice(0, 5).join('\n')}`;
  }

  it('answers every request it sent', () => {
    expect(report.total).toBe(REQUESTS);
    const answered = Object.values(report.byStatus).reduce((sum, count) => sum + count, 0);
    expect(answered + report.noAnswer + report.unfinishedBodies).toBe(REQUESTS);
    expect(report.noAnswer).toBe(0);
  });

  it('answers every error with a valid envelope', () => {
    if (report.nonEnvelope > 0) throw new Error(explain());
  });

  it('never answers 5xx, nor logs an error', () => {
    if (report.serverErrors > 0 || running.errors.length > 0) throw new Error(explain());
  });

  it('shows no stack trace or internal message in any body', () => {
    if (report.leaks > 0) throw new Error(explain());
  });

  it('leaves Object.prototype as it was', () => {
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe.each(ADAPTERS)('what the fuzz found, on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it.each([
    ['a field nested 5,000 levels deep', `{"first_name":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}}`],
    ['a body of 10,000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['a body of 10,000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ])('answers %s with 422, not a stack overflow (500)', async (_name, body) => {
    running.logs.clear();
    const res = await send(running.baseUrl, '/validation/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expectError(res, 'request.validation.failed', { messages: [TOO_DEEP_MESSAGE] });
    expect(running.logs.lines.filter(line => line.level === 'error')).toEqual([]);
  });

  it('still validates a body nested as deep as the limit allows', async () => {
    const res = await send(running.baseUrl, '/validation/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"first_name":${'{"x":'.repeat(60)}1${'}'.repeat(60)}}`,
    });
    expect(res.status).toBe(422);
    expect(res.json.messages).not.toEqual([TOO_DEEP_MESSAGE]);
  });
});
