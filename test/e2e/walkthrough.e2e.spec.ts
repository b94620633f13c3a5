// sample-app/WALKTHROUGH.md, run as written: every ```bash block in order in one bash, on a fresh sample app,
// each output compared with the block documented after it. Volatile values (below) are the only ones ignored.
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleAdapter } from '../../sample-app/config.js';
import {
  DOCUMENTED_URL,
  Shell,
  WALKTHROUGH_PATH,
  parseWalkthrough,
  startWalkthroughApp,
  walkthrough,
} from '../support/walkthrough.js';

/**
 * The values that differ from run to run, each replaced by a placeholder in both the documented and the
 * actual answer before they are compared. Nothing else is ignored.
 */
const VOLATILE: [name: string, pattern: RegExp, placeholder: string][] = [
  ['error ids', /"error_id":"[^"]*"/g, '"error_id":"…"'],
  ['session tokens', /"token":"[^"]*"/g, '"token":"…"'],
  ['creation times', /"created_at":"[^"]*"/g, '"created_at":"…"'],
  ['retry_after', /"retry_after":\d+/g, '"retry_after":…'],
  [
    'Retry-After header (its value; its name in any case, as HTTP headers are)',
    /^Retry-After: \d+$/gim,
    'Retry-After: …',
  ],
  ['memorable-word positions', /"memorable_positions":\[[\d,]*\]/g, '"memorable_positions":[…]'],
  ['memorable-word positions in messages', /positions \d+, \d+, \d+ of/g, 'positions … of'],
  ['SMS time and OTP', /^\S+Z (to \S+: Your sample-app code is )\d+\./gm, '… $1….'],
  ['signature header values', /created=\d+,nonce="[^"]*",signature="[^"]*"/g, 'created=…,nonce="…",signature="…"'],
];

function normalise(text: string): string {
  let result = text.replace(/\r\n/g, '\n').trimEnd();
  for (const [, pattern, placeholder] of VOLATILE) {
    result = result.replace(pattern, placeholder);
  }
  return result;
}

const steps = parseWalkthrough(walkthrough);

describe('sample-app/WALKTHROUGH.md', () => {
  it('is in the block format the test reads: commands, each followed by its answer', () => {
    expect(steps.filter(step => !step.skip).length).toBeGreaterThan(60);
    expect(steps.filter(step => step.skip).map(step => step.section)).toEqual([
      '15. Expired token',
      '15. Expired token',
    ]);
  });
});

/** GitHub's anchor of a heading: `4. Second factor (alice)` → `4-second-factor-alice`. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

describe('sample-app/README.md', () => {
  const index = readFileSync(new URL('../../sample-app/README.md', import.meta.url), 'utf8');
  const rows = [...index.matchAll(/^\| \d+ \| \[[^\]]+\]\(WALKTHROUGH\.md#([^)]+)\)[^|]*\| (.+) \|$/gm)];

  it('indexes every scenario of the walkthrough', () => {
    const sections = [...new Set(steps.map(step => anchor(step.section)))].filter(name => /^\d/.test(name));
    expect(rows.map(([, link]) => link)).toEqual(sections);
  });

  it.each(rows.map(([, link, codes]) => [link!, codes!] as const))('lists codes that %s shows', (link, codes) => {
    const answers = steps
      .filter(step => anchor(step.section) === link)
      .map(step => step.expected)
      .join('\n');
    for (const [, code] of codes.matchAll(/`([a-z.]+)`/g)) {
      expect({ link, code, shown: answers.includes(`"error_code":"${code}"`) }).toEqual({ link, code, shown: true });
    }
  });
});

describe.each<SampleAdapter>(['express', 'fastify'])('sample-app/WALKTHROUGH.md on %s', adapter => {
  let app: INestApplication;
  let dir: string;
  let shell: Shell;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `api-errors-walkthrough-${adapter}-`));
    ({ app, url } = await startWalkthroughApp(adapter, dir));
    shell = new Shell(dir);
  });

  afterAll(async () => {
    shell?.close();
    await app?.close();
    if (dir !== undefined) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers every step as documented', async () => {
    const mismatches: string[] = [];
    for (const step of steps) {
      if (step.skip) {
        continue;
      }
      const { stdout, stderr } = await shell.run(step.command.replaceAll(DOCUMENTED_URL, url), 15_000);
      const actual = normalise(stdout.replaceAll(url, DOCUMENTED_URL));
      const expected = normalise(step.expected);
      if (actual !== expected) {
        mismatches.push(
          `${WALKTHROUGH_PATH}:${step.line} (${step.section})\n  expected: ${expected}\n  actual:   ${actual}` +
            (stderr === '' ? '' : `\n  stderr:   ${stderr.trimEnd()}`),
        );
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});
