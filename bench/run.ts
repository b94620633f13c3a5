// `npm run bench`: the same small app with and without nestjs-api-errors, on Express and Fastify,
// under load from this process; prints medians of req/s and the ratios ours / plain.
//
// Server pinned to core 0 and this process (the load) to core 1 where taskset exists. Runs of the two
// variants alternate, so that drift of a noisy machine hits both alike. Every load only targets
// 127.0.0.1 and stops by itself. Environment: BENCH_DURATION (s, default 4), BENCH_RUNS (default 3),
// BENCH_ADAPTERS (express,fastify), BENCH_CASES (comma list of case names).
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

type Adapter = 'express' | 'fastify';
/** plain NestJS; the app with the module as configured by default; the same with 4xx lines not logged. */
type Variant = 'plain' | 'ours' | 'quiet';
const VARIANTS: readonly Variant[] = ['plain', 'ours', 'quiet'];
type ServerName = Variant | 'passport-string' | 'passport-key' | 'pino' | 'plain-pino' | 'pino-logger';
/**
 * The servers, each one app of server.ts (`kind`) on its port with its environment: the three variants,
 * plain Nest with its guarded route on @nestjs/passport (see passport.ts), and, for the "pino" cases,
 * "ours" and plain Nest with nestjs-pino as their logger (with its middleware, or as the logger only).
 */
const SERVERS: Record<ServerName, { kind: 'plain' | 'ours' | 'passport'; port: number; env?: Record<string, string> }> =
  {
    plain: { kind: 'plain', port: 3310 },
    ours: { kind: 'ours', port: 3311 },
    quiet: { kind: 'ours', port: 3312, env: { BENCH_OPTIONS: JSON.stringify({ clientErrorLogLevel: false }) } },
    'passport-string': { kind: 'passport', port: 3313 },
    'passport-key': { kind: 'passport', port: 3314, env: { PASSPORT_SECRET: 'key' } },
    pino: { kind: 'ours', port: 3315, env: { BENCH_LOGGER: 'pino' } },
    'plain-pino': { kind: 'plain', port: 3316, env: { BENCH_LOGGER: 'pino' } },
    'pino-logger': { kind: 'ours', port: 3317, env: { BENCH_LOGGER: 'pino-logger' } },
  };

interface BenchCase {
  name: string;
  method: 'GET' | 'POST';
  /** Path per variant; the guarded case compares the same app's guarded route with its open one. */
  path: Record<Variant, string>;
  /** Which server answers each variant (the guarded cases compare other servers' routes with ours). */
  server?: Record<Variant, ServerName>;
  headers?: Record<string, string>;
  body?: string;
  /** Status each variant must answer, checked before measuring. */
  expect: Record<Variant, number>;
  /** Load with a new connection per request (Fastify closes the connection after a malformed body). */
  freshConnections?: boolean;
}

const duration = Number(process.env.BENCH_DURATION ?? 4);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const adapters = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',') as Adapter[];
const apiKey = 'bench-api-key-0123456789';
const jwtSecret = 'bench-jwt-secret-0123456789abcdef';
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

const same = (path: string): Record<Variant, string> => ({ plain: path, ours: path, quiet: path });
const allAnswer = (status: number): Record<Variant, number> => ({ plain: status, ours: status, quiet: status });

async function cases(): Promise<BenchCase[]> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(jwtSecret));
  const json = { 'content-type': 'application/json' };
  const credentials = { 'x-api-key': apiKey, authorization: `Bearer ${token}` };
  const againstPassport = (how: string, server: ServerName): BenchCase => ({
    name: `guarded GET vs @nestjs/passport ${how}`,
    method: 'GET',
    path: same('/guarded'),
    server: { plain: server, ours: 'ours', quiet: 'ours' },
    headers: credentials,
    expect: allAnswer(200),
  });
  const all: BenchCase[] = [
    { name: 'success GET', method: 'GET', path: same('/ok'), expect: allAnswer(200) },
    { name: 'thrown exception', method: 'GET', path: same('/thrown'), expect: allAnswer(401) },
    {
      name: 'failing DTO',
      method: 'POST',
      path: same('/dto'),
      headers: json,
      body: JSON.stringify({ name: 'x', email: 'not-an-email', age: 3, password: 'short' }),
      expect: { plain: 400, ours: 422, quiet: 422 },
    },
    {
      name: 'malformed JSON',
      method: 'POST',
      path: same('/dto'),
      headers: json,
      body: '{"name": "bench",',
      expect: { plain: 400, ours: 422, quiet: 422 },
      freshConnections: true,
    },
    { name: 'unmatched route', method: 'GET', path: same('/nope'), expect: allAnswer(404) },
    {
      name: 'guarded GET (API key + Bearer) vs open GET',
      method: 'GET',
      path: { plain: '/ok', ours: '/guarded', quiet: '/guarded' },
      server: { plain: 'ours', ours: 'ours', quiet: 'ours' },
      headers: credentials,
      expect: allAnswer(200),
    },
    againstPassport('as documented (string secretOrKey)', 'passport-string'),
    againstPassport('at its best (KeyObject secret)', 'passport-key'),
  ];
  // The error paths again with nestjs-pino as the application's logger: "ours" logs each 4xx through it;
  // the first column is plain Nest with the same nestjs-pino set-up, which logs no 4xx at all (so the
  // ratio is what the package and its logged line cost an app that has nestjs-pino anyway); the last is
  // plain Nest without nestjs-pino. The success GET, which logs nothing, gives what nestjs-pino's
  // per-request middleware costs by itself.
  const pinoCases = ['success GET', 'thrown exception', 'failing DTO', 'malformed JSON', 'unmatched route'];
  const throughPino = pinoCases.map(name => {
    const item = all.find(candidate => candidate.name === name) as BenchCase;
    const server: Record<Variant, ServerName> = { plain: 'plain-pino', ours: 'pino', quiet: 'plain' };
    const expect = { ...item.expect, quiet: item.expect.plain };
    return { ...item, name: `pino: ${name}`, server, expect } as BenchCase;
  });
  // nestjs-pino as the application's logger only (no per-request middleware): ours logging each 4xx
  // through it, against plain Nest as in the first cases (no nestjs-pino, no 4xx logged).
  const throughPinoLogger = pinoCases.map(name => {
    const item = all.find(candidate => candidate.name === name) as BenchCase;
    const server: Record<Variant, ServerName> = { plain: 'plain', ours: 'pino-logger', quiet: 'quiet' };
    return { ...item, name: `pino logger: ${name}`, server } as BenchCase;
  });
  all.push(...throughPino, ...throughPinoLogger);
  const wanted = process.env.BENCH_CASES?.split(',').map(name => name.trim().toLowerCase());
  return wanted === undefined ? all : all.filter(item => wanted.some(name => item.name.toLowerCase().startsWith(name)));
}

const servers = new Set<ChildProcess>();

function startServer(adapter: Adapter, server: ServerName): ChildProcess {
  const script = fileURLToPath(new URL('./server.js', import.meta.url));
  const { kind, port, env: own } = SERVERS[server];
  const args = [script, adapter, kind, String(port)];
  const env = {
    ...process.env,
    BENCH_API_KEY: apiKey,
    BENCH_JWT_SECRET: jwtSecret,
    BENCH_OPTIONS: '{}',
    PASSPORT_SECRET: 'string',
    ...own,
  };
  const child = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: 'ignore', env })
    : spawn(process.execPath, args, { stdio: 'ignore', env });
  servers.add(child);
  child.on('exit', () => servers.delete(child));
  return child;
}

function stopAll(): void {
  for (const child of servers) {
    child.kill('SIGKILL');
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

function once(port: number, item: Pick<BenchCase, 'method' | 'headers' | 'body'>, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: item.method, headers: item.headers, agent: false },
      res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.end(item.body);
  });
}

async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      await once(port, { method: 'GET' }, '/ok');
      return;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
  throw new Error(`server on port ${port} did not start`);
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per answered request, in µs; NaN where /proc is not there. */
  cpuUs?: number;
}

/** CPU time a process has used so far, in µs, from /proc (Linux); NaN elsewhere. */
function cpuMicros(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/**
 * One measured load with the server's own CPU time per request beside req/s: when the load generator
 * (one core) is what limits req/s, as on Fastify's cheapest paths, CPU per request still says what the
 * server spends.
 */
async function measured(
  load: (port: number, item: BenchCase, path: string, seconds: number) => Promise<Sample>,
  pid: number | undefined,
  port: number,
  item: BenchCase,
  path: string,
): Promise<Sample> {
  const before = cpuMicros(pid);
  const sample = await load(port, item, path, duration);
  return { ...sample, cpuUs: (cpuMicros(pid) - before) / (sample.rps * duration) };
}

async function loadKeepAlive(port: number, item: BenchCase, path: string, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: item.method,
    headers: item.headers,
    body: item.body,
    connections: 50,
    duration: seconds,
  });
  return { rps: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}

/** A new connection per request, 20 at a time, for `seconds`: like for like when the server closes connections. */
async function loadFresh(port: number, item: BenchCase, path: string, seconds: number): Promise<Sample> {
  const end = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  const worker = async (): Promise<void> => {
    while (Date.now() < end) {
      const started = performance.now();
      await once(port, item, path).catch(() => 0);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function main(): Promise<void> {
  if (hasTaskset) {
    spawnSync('taskset', ['-cp', '1', String(process.pid)]);
  }
  const list = await cases();
  const rows: string[] = [];
  const pinoRows: string[] = [];
  console.log(
    `nestjs-api-errors benchmark: ${runs} alternating runs of ${duration} s per variant, ${hasTaskset ? 'server on core 0, load on core 1' : 'no taskset: cores not pinned'}`,
  );
  for (const adapter of adapters) {
    const port = (server: ServerName): number => SERVERS[server].port;
    const needed = (Object.keys(SERVERS) as ServerName[]).filter(server =>
      list.some(item => VARIANTS.some(variant => (item.server?.[variant] ?? variant) === server)),
    );
    const pids: Partial<Record<ServerName, number>> = {};
    for (const server of needed) {
      pids[server] = startServer(adapter, server).pid;
    }
    await Promise.all(needed.map(server => waitReady(port(server))));
    for (const item of list) {
      const portOf = (variant: Variant): number => port(item.server?.[variant] ?? variant);
      const pidOf = (variant: Variant): number | undefined => pids[item.server?.[variant] ?? variant];
      for (const variant of VARIANTS) {
        const status = await once(portOf(variant), item, item.path[variant]);
        if (status !== item.expect[variant]) {
          throw new Error(`${adapter} ${variant} "${item.name}" answered ${status}, expected ${item.expect[variant]}`);
        }
      }
      const samples: Record<Variant, Sample[]> = { plain: [], ours: [], quiet: [] };
      const load = item.freshConnections === true ? loadFresh : loadKeepAlive;
      for (let run = 0; run < runs; run++) {
        const order: Variant[] = run % 2 === 0 ? [...VARIANTS] : [...VARIANTS].reverse();
        for (const variant of order) {
          await load(portOf(variant), item, item.path[variant], 1); // warm-up
          samples[variant].push(await measured(load, pidOf(variant), portOf(variant), item, item.path[variant]));
        }
      }
      const rps = (variant: Variant): number => median(samples[variant].map(sample => sample.rps));
      const ratio = (variant: Variant): string => (rps(variant) / rps('plain')).toFixed(2);
      const cpu = (variant: Variant): number => median(samples[variant].map(sample => sample.cpuUs ?? Number.NaN));
      const cpuRatio = (variant: Variant): string => (cpu('plain') / cpu(variant)).toFixed(2);
      const againstPlainWithPino = item.name.startsWith('pino:');
      const row = againstPlainWithPino
        ? // plain + nestjs-pino | ours via nestjs-pino | ratio | plain without it | ours / plain without it
          `| ${adapter} | ${item.name} | ${Math.round(rps('plain'))} | ${Math.round(rps('ours'))} | **${ratio('ours')}** | ${Math.round(rps('quiet'))} | **${(rps('ours') / rps('quiet')).toFixed(2)}** | ${cpu('plain').toFixed(1)} | ${cpu('ours').toFixed(1)} | **${cpuRatio('ours')}** | ${cpu('quiet').toFixed(1)} | **${(cpu('quiet') / cpu('ours')).toFixed(2)}** |`
        : `| ${adapter} | ${item.name} | ${Math.round(rps('plain'))} | ${Math.round(rps('ours'))} | **${ratio('ours')}** | ${Math.round(rps('quiet'))} | **${ratio('quiet')}** | ${cpu('plain').toFixed(1)} | ${cpu('ours').toFixed(1)} | **${cpuRatio('ours')}** | ${cpu('quiet').toFixed(1)} | **${cpuRatio('quiet')}** |`;
      (againstPlainWithPino ? pinoRows : rows).push(row);
      console.log(row);
    }
    stopAll();
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  console.log(
    '\n| adapter | case | plain req/s | ours req/s | ratio | ours, 4xx unlogged, req/s | ratio | plain server µs/req | ours µs/req | ratio | unlogged µs/req | ratio |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(rows.join('\n'));
  if (pinoRows.length > 0) {
    console.log(
      '\n| adapter | case | plain + nestjs-pino req/s | ours via nestjs-pino req/s | ratio | plain, no nestjs-pino, req/s | ours via nestjs-pino / plain, no nestjs-pino | plain + nestjs-pino µs/req | ours via nestjs-pino µs/req | ratio | plain, no nestjs-pino, µs/req | ratio |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(pinoRows.join('\n'));
  }
  console.log(
    '\nreq/s are medians of the runs. "ours" is ApiErrorsModule.forRoot() as shipped (each 4xx logged once at "log" level',
  );
  console.log('through Nest\'s ConsoleLogger); "4xx unlogged" is the same with clientErrorLogLevel: false.');
  console.log(
    "µs/req is the server process's CPU time (user + system, from /proc) per answered request, median of the runs; its ratio is plain / ours (above 1: ours spends less).",
  );
  console.log(
    '"guarded GET": plain = the open /ok route of the app with the module, ours = the same response behind ApiKeyGuard + AuthorizationGuard (Bearer HS256).',
  );
  console.log(
    '"pino:" cases: nestjs-pino (pino.destination to /dev/null, sync: false) as the logger of plain Nest (which logs no 4xx) and of ours (each 4xx logged once); the last columns compare with plain Nest without it.',
  );
  console.log(
    '"pino logger:" cases: ours = the app with nestjs-pino as its logger without its per-request middleware (forRoutes: []), each 4xx logged once; plain as in the other cases.',
  );
  console.log(
    "\"vs @nestjs/passport\": plain = plain Nest with the same route behind AuthGuard('headerapikey') + AuthGuard('jwt') (passport-headerapikey, passport-jwt), ours = our guarded route.",
  );
}

main().then(
  () => {
    stopAll();
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    stopAll();
    process.exit(1);
  },
);
