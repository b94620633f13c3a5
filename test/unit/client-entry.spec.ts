// 'nestjs-api-errors/client' works in a project without NestJS: the client entry and what it imports
// are compiled as the build does, installed alone in a temporary project (no other node_modules), then
// imported there by Node and by TypeScript; and its import graph reaches no Nest package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signRequest } from 'nestjs-api-errors';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, Record<'import' | 'require', { types: string; default: string }>>;
};
const FORBIDDEN = /^(@nestjs\/|reflect-metadata|rxjs|class-validator|class-transformer)/;

let project: string;
let installed: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'client-entry-'));
  installed = join(project, 'node_modules', packageJson.name);
  // Files on the command line: tsc compiles lib/client/index.ts and only what it imports.
  execFileSync(process.execPath, [
    tsc,
    join(root, 'lib', 'client', 'index.ts'),
    ...['--ignoreConfig', '--rootDir', root, '--outDir', join(installed, 'dist'), '--declaration', '--skipLibCheck'],
    ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict'],
    ...['--types', 'node', '--typeRoots', join(root, 'node_modules', '@types')],
  ]);
  const manifest = {
    name: packageJson.name,
    type: 'module',
    exports: { './client': packageJson.exports['./client']?.import },
  };
  writeFileSync(join(installed, 'package.json'), JSON.stringify(manifest));
}, 120_000);

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe("the package's exports", () => {
  it('map ./client to the compiled entry and its types', () => {
    // Only the ES module build is compiled here; the CommonJS one is checked by scripts/packaging-check.sh.
    expect(packageJson.exports['./client']).toEqual({
      import: { types: './dist/lib/client/index.d.ts', default: './dist/lib/client/index.js' },
      require: { types: './dist/cjs/client/index.d.ts', default: './dist/cjs/client/index.js' },
    });
    expect(existsSync(join(installed, 'dist', 'lib', 'client', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'lib', 'client', 'index.d.ts'))).toBe(true);
  });
});

describe('nestjs-api-errors/client in a project without NestJS', () => {
  it('imports in Node and does its work', () => {
    const script = `
      const client = await import('nestjs-api-errors/client');
      const body = { status: 'error', error_code: 'request.rate.exceeded', error_id: 'id-1', messages: ['Wait.'], retry_after: 3 };
      const request = { method: 'POST', path: '/orders', query: 'a=1', body: Buffer.from('{}') };
      console.log(JSON.stringify({
        exports: Object.keys(client).sort(),
        good: client.isApiErrorBody(body),
        bad: client.isApiErrorBody({ ...body, retry_after: -1 }),
        status: client.API_ERROR_CATALOGUE['auth.apikey.missing'].status,
        schemaTitle: client.apiErrorBodySchema.title,
        signature: client.signRequest(request, { keyId: 'k', created: 1700000000, nonce: 'n'.repeat(16) }, 'secret'),
      }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      exports: [
        'API_ERROR_CATALOGUE',
        'API_ERROR_CODE_PATTERN',
        'apiErrorBodySchema',
        'isApiErrorBody',
        'parseSignature',
        'signRequest',
        'signatureBase',
      ],
      good: true,
      bad: false,
      status: 401,
      schemaTitle: 'ApiErrorBody',
      signature: signRequest(
        { method: 'POST', path: '/orders', query: 'a=1', body: Buffer.from('{}') },
        { keyId: 'k', created: 1700000000, nonce: 'n'.repeat(16) },
        'secret',
      ),
    });
  });

  it('type-checks a TypeScript client against its declarations', () => {
    const source = join(project, 'client.ts');
    writeFileSync(
      source,
      [
        "import { isApiErrorBody, type ApiErrorCode } from 'nestjs-api-errors/client';",
        'export function onError(body: unknown): ApiErrorCode | undefined {',
        "  if (isApiErrorBody(body) && body.error_code === 'critical.auth.required') {",
        "    const method: 'password' | 'otp' = body.critical_auth_method;",
        '    return method === "otp" ? body.error_code : undefined;',
        '  }',
        '  return undefined;',
        '}',
      ].join('\n'),
    );
    const compile = (): string =>
      execFileSync(
        process.execPath,
        [
          tsc,
          source,
          '--noEmit',
          '--ignoreConfig',
          ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict'],
          ...['--types', 'node', '--typeRoots', join(root, 'node_modules', '@types')],
        ],
        { cwd: project, encoding: 'utf8' },
      );
    expect(compile).not.toThrow();
  }, 60_000);

  it('reaches no Nest package, nor reflect-metadata, rxjs or class-validator, in its JS or its types', () => {
    for (const entry of ['index.js', 'index.d.ts']) {
      const external = importGraph(join(installed, 'dist', 'lib', 'client', entry));
      expect([...external].filter(specifier => FORBIDDEN.test(specifier))).toEqual([]);
      // the signing functions' node:crypto is all it takes from outside (Node only: see docs/client.md)
      expect([...external].every(specifier => specifier === 'node:crypto')).toBe(true);
    }
  });
});

/** The bare specifiers a compiled module reaches, following its relative imports and re-exports. */
function importGraph(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) {
      return;
    }
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
    )) {
      const specifier = (match[1] ?? match[2] ?? match[3]) as string;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        visit(file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target);
      } else {
        external.add(specifier);
      }
    }
  };
  visit(entry);
  expect(seen.size).toBeGreaterThan(3);
  return external;
}
