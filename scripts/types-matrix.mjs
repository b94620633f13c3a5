// Type-checks the published package as a user's project would, with skipLibCheck: false: the tarball
// `npm pack` makes, installed in a throwaway consumer project for each module / moduleResolution a Nest
// project uses, with and without the optional peer dependencies. Prints a table and exits non-zero on
// any failure.
//
// No network: each consumer's node_modules holds the unpacked tarball and symlinks to this repository's
// node_modules (the required peers, @types/node and, in the "present" rows, the optional peers). A
// symlinked package resolves its own dependencies through its real path; the unpacked package does not
// sit under this repository, so an optional peer it imported by mistake is not found.
//
// Options: --no-build (pack dist/ as it is), --keep (leave the consumer projects in place).
// TYPES_MATRIX_TSC=<path of tsc> checks with another TypeScript than the repository's.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = process.env.TYPES_MATRIX_TSC ?? join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const args = new Set(process.argv.slice(2));

const optionalPeers = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
  name => pkg.peerDependenciesMeta[name].optional,
);
const requiredPeers = Object.keys(pkg.peerDependencies).filter(name => !optionalPeers.includes(name));

// Where the peers come from: Nest 12 and the rest from this repository's node_modules; Nest 11 (and the
// jose 5 beside it) from compat/nest11, installed apart by `npm ci --prefix compat/nest11`.
const NEST_12 = [join(root, 'node_modules')];
const NEST_11 = [join(root, 'compat', 'nest11', 'node_modules'), join(root, 'node_modules')];

// A .ts file without "type": "module" is a CommonJS file (compiled to `require`); an .mts file, or a .ts
// file under "type": "module", is an ES module. Nest 12 is ES modules only, which a CommonJS file can
// import (require) under nodenext but not under node16 (Node 16's rules): a CommonJS project under
// node16 cannot use Nest 12 at all, its own `import … from '@nestjs/common'` included, so it is checked
// with Nest 11, and its ES modules with Nest 12.
const SETTINGS = [
  { module: 'commonjs', moduleResolution: 'node10', files: ['index.ts'], type: 'commonjs', nest: 12 },
  { module: 'node16', moduleResolution: 'node16', files: ['index.ts'], type: 'commonjs', nest: 11 },
  { module: 'node16', moduleResolution: 'node16', files: ['index.mts'], type: 'commonjs', nest: 12 },
  { module: 'nodenext', moduleResolution: 'nodenext', files: ['index.ts', 'index.mts'], type: 'commonjs', nest: 12 },
  { module: 'esnext', moduleResolution: 'bundler', files: ['index.ts'], type: 'module', nest: 12 },
  { module: 'preserve', moduleResolution: 'bundler', files: ['index.ts'], type: 'module', nest: 12 },
];

// A representative slice of the public API. No top-level await: the same text is a CommonJS file.
const CONSUMER = `import 'reflect-metadata';
import { Body, Controller, Module, Post, type DynamicModule } from '@nestjs/common';
import {
  ApiErrorResponses,
  ApiErrorsModule,
  AuthPrincipal,
  CriticalAuth,
  ObjectIdNotFoundException,
  RedisStore,
  RequireApiKey,
  RequireAuthorization,
  createApiErrorsDocument,
  createValidationPipe,
  sha256Hex,
  type ApiErrorsDocumentOptions,
  type JwtClaims,
  type OpenApiDocument,
  type Principal,
  type RedisStoreClient,
} from 'nestjs-api-errors';
import { API_ERROR_CATALOGUE, isApiErrorBody, type ApiErrorBody, type ApiErrorCode } from 'nestjs-api-errors/client';

@Controller('orders')
@RequireApiKey()
export class OrdersController {
  @Post()
  @RequireAuthorization()
  @CriticalAuth()
  @ApiErrorResponses('object.id.notfound')
  create(@Body() body: { id: string }, @AuthPrincipal() principal: Principal): string {
    if (body.id === '') {
      throw new ObjectIdNotFoundException();
    }
    return principal.id;
  }
}

export async function apiErrorsModule(client: RedisStoreClient): Promise<DynamicModule> {
  return ApiErrorsModule.forRoot({
    apiKey: { keys: [{ sha256: sha256Hex('key'), client: { id: 'web' } }] },
    bearer: {
      secret: 'x'.repeat(32),
      algorithms: ['HS256'],
      principal: (claims: JwtClaims) => ({ id: claims.sub ?? '', audience: claims.aud }),
    },
    store: await RedisStore.create({ client, keyPrefix: 'app:', redisOptions: { password: 'secret' } }),
  });
}

@Module({ controllers: [OrdersController] })
export class AppModule {}

export const pipe = createValidationPipe({ whitelist: true });
export const options: ApiErrorsDocumentOptions = { deepScanRoutes: true };
export type Document = OpenApiDocument;
export const documentOf: typeof createApiErrorsDocument = createApiErrorsDocument;

export function codeOf(answer: unknown): ApiErrorCode | undefined {
  if (!isApiErrorBody(answer)) {
    return undefined;
  }
  const body: ApiErrorBody = answer;
  return body.error_code in API_ERROR_CATALOGUE ? (body.error_code as ApiErrorCode) : undefined;
}
`;

// With the optional peers: their own objects go into the package's types, and come back out as theirs.
const WITH_PEERS = `import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Cluster, Redis } from 'ioredis';
import type { JWTPayload } from 'jose';
import { JwtTokenVerifier, RedisStore, createApiErrorsDocument } from 'nestjs-api-errors';

export async function withPeers(app: INestApplication, redis: Redis, cluster: Cluster): Promise<OpenAPIObject> {
  await RedisStore.create({ client: redis });
  await RedisStore.create({ client: cluster });
  new JwtTokenVerifier({ secret: 'x'.repeat(32), algorithms: ['HS256'], principal: (claims: JWTPayload) => ({ id: String(claims.sub) }) });
  const document = await createApiErrorsDocument(app, new DocumentBuilder().setTitle('API').build());
  SwaggerModule.setup('docs', app, document);
  return document;
}
`;

function tscVersion() {
  return execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^Version /, '');
}

function pack(dir) {
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }),
  );
  return join(dir, filename);
}

function link(nodeModules, name, sources) {
  const source = sources.map(dir => join(dir, name)).find(dir => existsSync(dir));
  if (source === undefined) {
    throw new Error(`${name} is not installed in ${sources.join(' or ')}`);
  }
  const target = join(nodeModules, name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(source, target, 'dir');
}

function makeConsumer(dir, tarball, setting, withPeers, major) {
  const nodeModules = join(dir, 'node_modules');
  const installed = join(nodeModules, pkg.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const name of [...requiredPeers, '@types/node', ...(withPeers ? optionalPeers : [])]) {
    link(nodeModules, name, setting.nest === 11 ? NEST_11 : NEST_12);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: setting.type }));
  const files = [...setting.files];
  for (const file of setting.files) {
    writeFileSync(join(dir, file), CONSUMER);
  }
  if (withPeers) {
    const file = setting.files.every(name => name.endsWith('.mts')) ? 'peers.mts' : 'peers.ts';
    writeFileSync(join(dir, file), WITH_PEERS);
    files.push(file);
  }
  const compilerOptions = {
    module: setting.module,
    moduleResolution: setting.moduleResolution,
    target: 'ES2022',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    skipLibCheck: false,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    noEmit: true,
    // TypeScript 6 deprecates node10 resolution; a project still on it has to say so.
    ...(major >= 6 && setting.moduleResolution === 'node10' ? { ignoreDeprecations: '6.0' } : {}),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }, null, 2));
}

function check(dir) {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('close', code => resolve({ ok: code === 0, output: output.replaceAll(`${dir}/`, '') }));
  });
}

/** The first errors of a failed check, with what TS1479 means spelled out. */
function summary(output) {
  // The package's own .d.ts first: what the matrix is for.
  const errors = output
    .split('\n')
    .filter(line => /error TS\d+/.test(line))
    .sort((a, b) => Number(!a.startsWith('node_modules/')) - Number(!b.startsWith('node_modules/')));
  const lines = errors.slice(0, 3).map(line => line.slice(0, 220));
  if (errors.length > 3) {
    lines.push(`… ${errors.length} errors in all`);
  }
  if (errors.some(line => line.includes('error TS1479'))) {
    lines.push(
      'TS1479: a CommonJS file imports an ES module: the package (or a peer) has no CommonJS types for this setting',
    );
  }
  return lines.length > 0 ? lines : output.trim().split('\n').slice(0, 3);
}

async function main() {
  if (!args.has('--no-build')) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const version = tscVersion();
  const major = Number(version.split('.')[0]);
  const work = mkdtempSync(join(tmpdir(), 'types-matrix-'));
  try {
    const tarball = pack(work);
    const rows = [];
    for (const setting of SETTINGS) {
      for (const withPeers of [true, false]) {
        const dir = join(
          work,
          `${rows.length}-${setting.module}-nest${setting.nest}-${withPeers ? 'peers' : 'nopeers'}`,
        );
        makeConsumer(dir, tarball, setting, withPeers, major);
        rows.push({ setting, withPeers, dir });
      }
    }
    // Two checks at a time: each is one single-threaded tsc.
    const results = new Array(rows.length);
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const index = next++;
        results[index] = await check(rows[index].dir);
      }
    };
    await Promise.all([worker(), worker()]);

    console.log(`TypeScript ${version}, ${pkg.name}@${pkg.version} packed, skipLibCheck: false, strict: true`);
    const width = 52;
    console.log(`${'module / moduleResolution (files), Nest'.padEnd(width)} ${'optional peers'.padEnd(15)} result`);
    let failed = 0;
    rows.forEach(({ setting, withPeers }, index) => {
      const { ok, output } = results[index];
      const name = `${setting.module} / ${setting.moduleResolution} (${setting.files.join(', ')}), Nest ${setting.nest}`;
      const head = `${name.padEnd(width)} ${(withPeers ? 'present' : 'absent').padEnd(15)}`;
      if (ok) {
        console.log(`${head} ok`);
        return;
      }
      failed++;
      const [first, ...rest] = summary(output);
      console.log(`${head} FAILED: ${first}`);
      for (const line of rest) {
        console.log(`${' '.repeat(width + 16)}  ${line}`);
      }
    });
    if (failed > 0) {
      console.log(`${failed} of ${rows.length} consumer projects do not type-check`);
      process.exitCode = 1;
    }
  } finally {
    if (args.has('--keep')) {
      console.log(`consumer projects kept in ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

await main();
