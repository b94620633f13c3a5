// The translate option with nestjs-i18n: test/fixtures/i18n/i18n-app.ts, whose translator reads
// test/fixtures/i18n/locales/<lang>/errors.json through I18nService. It runs in a plain Node process,
// compiled here with swc, because Jest's module runtime cannot load nestjs-i18n on Nest 12 (see that file).
import { transformFile } from '@swc/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, type AdapterName } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SWC = {
  jsc: {
    target: 'es2022' as const,
    parser: { syntax: 'typescript' as const, decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'es6' as const },
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sources(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** lib/ and the app, as JavaScript in a directory of their own that sees the repository's node_modules. */
async function compileApp(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'translate-i18n-'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  const files = [...sources(join(root, 'lib')), join(root, 'test/fixtures/i18n/i18n-app.ts')];
  await Promise.all(
    files.map(async file => {
      const { code } = await transformFile(file, { ...SWC, swcrc: false });
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  return out;
}

function startChild(dir: string, adapter: AdapterName): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [join(dir, 'test/fixtures/i18n/i18n-app.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH, ADAPTER: adapter, I18N_PATH: join(root, 'test/fixtures/i18n/locales/') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start:\n${output}`));
    }, 15000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve({ child, baseUrl: `http://127.0.0.1:${port}` });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${String(code)}:\n${output}`));
    });
  });
}

let compiled: string;
beforeAll(async () => {
  compiled = await compileApp();
});
afterAll(() => rmSync(compiled, { recursive: true, force: true }));

describe.each(ADAPTERS)('translate with nestjs-i18n on %s', (adapter: AdapterName) => {
  let child: ChildProcess;
  let baseUrl: string;
  const get = (path: string, acceptLanguage?: string) =>
    send(baseUrl, path, { headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } });

  beforeAll(async () => {
    ({ child, baseUrl } = await startChild(compiled, adapter));
  });
  afterAll(async () => {
    child.removeAllListeners('exit');
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('answers in French from locales/fr/errors.json', async () => {
    const res = await get('/notes/missing', 'fr-CH, fr;q=0.9, en;q=0.8');

    expectError(res, 'object.id.notfound', { messages: ["L'objet demandé est introuvable."] });
  });

  it('translates an unmatched route and keeps a 5xx generic', async () => {
    expectError(await get('/no/such/route', 'fr'), 'request.route.notfound', {
      messages: ['Aucune route ne correspond à cette méthode et ce chemin.'],
    });
    expectError(await get('/notes/broken', 'fr'), 'server.internal.error', {
      messages: ['Une erreur interne est survenue. Citez error_id au support.'],
    });
  });

  it.each([
    ['no Accept-Language', undefined],
    ['a language without translations', 'de-DE, de;q=0.9'],
    ['English, which has no entry for the code', 'en-GB'],
  ])('answers in English with %s', async (_name, acceptLanguage) => {
    expectError(await get('/notes/missing', acceptLanguage), 'object.id.notfound');
  });
});
