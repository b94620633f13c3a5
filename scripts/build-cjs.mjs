// The CommonJS build of lib/ (dist/cjs), beside the ES module build that `tsc -p tsconfig.build.json`
// writes to dist/lib. The package says "type": "module", so dist/cjs gets a package.json of its own that
// makes Node (and TypeScript) read its .js and .d.ts files as CommonJS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cjs');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// A file removed from lib/ must not stay behind in the published build.
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.cjs.json')], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
