// sample-app/WALKTHROUGH.md, run as written: every ```bash block in order in one bash, on a fresh sample app,
// each output compared with the block documented after it. Volatile values (below) are the only ones ignored.
import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createSampleApp } from '../../sample-app/app.factory.js';
import { sampleConfigFromEnv, type SampleAdapter } from '../../sample-app/config.js';

const WALKTHROUGH_PATH = 'sample-app/WALKTHROUGH.md';
const walkthrough = readFileSync(new URL(`../../${WALKTHROUGH_PATH}`, import.meta.url), 'utf8');

/** The address the walkthrough is written for; the test puts the app's own address in its place. */
const DOCUMENTED_URL = 'http://127.0.0.1:3000';
/** Before a ```bash block: the block is not run (the Markdown says why). */
const SKIP_MARKER = '<!-- walkthrough: skip -->';

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

interface Step {
  /** 1-based line of the ```bash fence in WALKTHROUGH.md. */
  line: number;
  /** The `## …` heading the block is under. */
  section: string;
  command: string;
  /** The documented output; '' when the next block is another command (nothing is printed). */
  expected: string;
  skip: boolean;
}

/** Parses the page: fenced blocks, each ```bash block with the answer block right after it. */
function parseWalkthrough(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const blocks: { lang: string; line: number; body: string; skip: boolean; section: string }[] = [];
  let section = '';
  let between: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) {
      section = line.slice(3);
    }
    const fence = /^```(\S*)$/.exec(line);
    if (fence === null) {
      between.push(line);
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      body.push(lines[i]!);
    }
    if (i === lines.length) {
      throw new Error(`${WALKTHROUGH_PATH}:${start + 1}: code block never closed`);
    }
    blocks.push({
      lang: fence[1]!,
      line: start + 1,
      body: body.join('\n'),
      skip: between.some(text => text.trim() === SKIP_MARKER),
      section,
    });
    between = [];
  }
  const steps: Step[] = [];
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    if (block.lang !== 'bash') {
      throw new Error(
        `${WALKTHROUGH_PATH}:${block.line}: a \`\`\`${block.lang} block that does not follow a \`\`\`bash block`,
      );
    }
    const next = blocks[b + 1];
    const answer = next !== undefined && next.lang !== 'bash' ? next : undefined;
    if (answer !== undefined) {
      b++;
    }
    steps.push({
      line: block.line,
      section: block.section,
      command: block.body,
      expected: answer?.body ?? '',
      skip: block.skip,
    });
  }
  return steps;
}

/** One bash process for the whole walkthrough, so that variables and functions carry over. */
class Shell {
  readonly #bash: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  #waiting: (() => void) | undefined;
  #count = 0;

  constructor(cwd: string) {
    this.#bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd,
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: cwd,
        LC_ALL: 'C.UTF-8',
      },
    });
    this.#bash.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
      this.#waiting?.();
    });
    this.#bash.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
  }

  /** Runs a block (its stdin is /dev/null) and answers what it printed on stdout and stderr. */
  async run(command: string, timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
    const marker = `__walkthrough_step_${++this.#count}_done__`;
    this.#stdout = '';
    this.#stderr = '';
    this.#bash.stdin.write(`{\n${command}\n} </dev/null\nprintf '\\n%s\\n' '${marker}'\n`);
    const end = `\n${marker}\n`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`no end of the block within ${timeoutMs} ms; output so far: ${this.#stdout}${this.#stderr}`));
      }, timeoutMs);
      this.#waiting = () => {
        if (this.#stdout.endsWith(end)) {
          clearTimeout(timer);
          this.#waiting = undefined;
          resolve();
        }
      };
      this.#waiting();
    });
    return { stdout: this.#stdout.slice(0, -end.length), stderr: this.#stderr };
  }

  close(): void {
    this.#bash.stdin.end();
    this.#bash.kill();
  }
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
    const dataDir = join(dir, 'data');
    app = await createSampleApp(
      {
        ...sampleConfigFromEnv({ DATA_DIR: dataDir, DEMO_MODE: '1' }),
        adapter,
        redisUrl: undefined,
        clientErrorLogLevel: false,
        // Cheap scrypt: the hashing is not what is shown (the app's default is N = 2^17, ~0.3 s a hash).
        scrypt: { N: 2 ** 10, r: 8, p: 1 },
      },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
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
