// sample-app/WALKTHROUGH.md as data: its ```bash blocks in order, each with the answer documented after
// it, and one bash to run them in. Read by the walkthrough test and by the Prism test, which replays it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createSampleApp } from '../../sample-app/app.factory.js';
import { sampleConfigFromEnv, type SampleAdapter } from '../../sample-app/config.js';

export const WALKTHROUGH_PATH = 'sample-app/WALKTHROUGH.md';
/** The page's text. */
export const walkthrough = readFileSync(new URL(`../../${WALKTHROUGH_PATH}`, import.meta.url), 'utf8');

/** The address the walkthrough is written for; the tests put the app's own address in its place. */
export const DOCUMENTED_URL = 'http://127.0.0.1:3000';
/** Before a ```bash block: the block is not run (the Markdown says why). */
export const SKIP_MARKER = '<!-- walkthrough: skip -->';

export interface Step {
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
export function parseWalkthrough(markdown: string): Step[] {
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
export class Shell {
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

/**
 * The sample app as the walkthrough expects it, listening on 127.0.0.1: demo mode, its database under
 * `dir`, no Redis, 4xx not logged, and a cheap scrypt (the hashing is not what is shown; the app's
 * default is N = 2^17, ~0.3 s a hash).
 */
export async function startWalkthroughApp(
  adapter: SampleAdapter,
  dir: string,
): Promise<{ app: INestApplication; url: string }> {
  const app = await createSampleApp(
    {
      ...sampleConfigFromEnv({ DATA_DIR: join(dir, 'data'), DEMO_MODE: '1' }),
      adapter,
      redisUrl: undefined,
      clientErrorLogLevel: false,
      scrypt: { N: 2 ** 10, r: 8, p: 1 },
    },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}
