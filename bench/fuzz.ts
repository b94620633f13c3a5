// `npm run fuzz -- --requests 100000 [--adapter express|fastify] [--seed N] [--first I] [--concurrency C]`:
// the sample app on each adapter (in-memory database and store), fed seeded random requests
// (test/support/fuzz.ts); prints, per adapter, the total, the count by status, answers that are no
// envelope, 5xx, bodies that show internals, and whether Object.prototype changed. Exits 1 on any fault.
// `--first I --requests 1` replays request I of a seed alone.
import 'reflect-metadata';
import { formatProblems, prototypeSnapshot, runFuzz } from '../test/support/fuzz.js';
import { startFuzzedSampleApp } from '../test/support/fuzz-sample-app.js';

type Adapter = 'express' | 'fastify';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

async function main(): Promise<void> {
  const requests = Number(argument('requests') ?? 10_000);
  const seed = Number(argument('seed') ?? Date.now() % 2 ** 31);
  const first = Number(argument('first') ?? 0);
  const concurrency = Number(argument('concurrency') ?? 8);
  const only = argument('adapter');
  const adapters: Adapter[] = only === 'express' || only === 'fastify' ? [only] : ['express', 'fastify'];
  let faulty = false;
  for (const adapter of adapters) {
    const before = prototypeSnapshot();
    const running = await startFuzzedSampleApp(adapter);
    const started = Date.now();
    process.stdout.write(`${adapter}: ${requests} requests, seed ${seed}${first === 0 ? '' : `, from ${first}`}\n`);
    const report = await runFuzz({
      port: running.port,
      seed,
      first,
      requests,
      concurrency,
      context: running.context,
      progressEvery: 10_000,
      onProgress: done => process.stdout.write(`  ${done} sent (${Math.round((Date.now() - started) / 1000)} s)\n`),
    });
    await running.close();
    const polluted = JSON.stringify(prototypeSnapshot()) !== JSON.stringify(before);
    const summary = {
      adapter,
      seed,
      total: report.total,
      byStatus: report.byStatus,
      nonEnvelope: report.nonEnvelope,
      serverErrors: report.serverErrors,
      leaks: report.leaks,
      loggedErrors: running.errors.length,
      noAnswer: report.noAnswer,
      unfinishedBodies: report.unfinishedBodies,
      refusedByHttpParser: report.parserLevel,
      prototypePolluted: polluted,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (report.problems.length > 0) {
      process.stdout.write(`${formatProblems(report)}\n`);
    }
    if (running.errors.length > 0) {
      process.stdout.write(`logged errors (first 5):\n${running.errors.slice(0, 5).join('\n')}\n`);
    }
    faulty ||=
      report.nonEnvelope > 0 || report.serverErrors > 0 || report.leaks > 0 || running.errors.length > 0 || polluted;
  }
  process.exitCode = faulty ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
