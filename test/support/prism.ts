// Stoplight Prism's validation proxy as a child process, with a recording hop in front of it that
// collects the violations Prism reports for each exchange, and the walkthrough's bash blocks replayed
// through it. Prism runs without --errors: it then forwards every request, valid or not, and lists what
// it found wrong, request and response, in the `sl-violations` header, which lets each violation be
// counted and named with its operation instead of being turned into one problem answer. (It forwards a
// JSON body re-serialised, not byte for byte.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PRISM_BIN = join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

/** One violation as Prism reports it. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** One request through the proxy, and what Prism said about it. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  violations: PrismViolation[];
  /** Sent to the app without Prism (see `isMalformedJson`). */
  direct: boolean;
  /** The answer's body. */
  body: string;
}

/** A free port on 127.0.0.1 (closed again at once, so Prism can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPrism {
  url: string;
  /** What Prism printed, for the failure message when it does not start. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `prism proxy <document> <upstream>` on a free port and waits until it listens. */
export async function startPrism(documentFile: string, upstream: string): Promise<RunningPrism> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [PRISM_BIN, 'proxy', documentFile, upstream, '--host', '127.0.0.1', '--port', String(port), '--cors', 'false'],
    // Plain text, so that the start-up line can be read and a failure message is legible.
    { env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, stdio: 'pipe' },
  );
  let output = '';
  const stop = (): Promise<void> => stopChild(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Prism did not start within 30 s:\n${output}`));
    }, 30_000);
    const read = (chunk: Buffer): void => {
      // Prism logs every request; the pipe is read to the end so that it never fills, but only the
      // first part is kept, for a failure message.
      output = (output + chunk.toString('utf8')).slice(0, 100_000);
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

/**
 * Prism 5 parses a JSON body itself and, when that fails, waits for the end of a body it has already
 * read: the exchange never gets an answer. Such a request goes straight to the app; its exchange is
 * marked `direct`, for the caller to check against the document by other means.
 */
function isMalformedJson(headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (!/^application\/(.+\+)?json\b/i.test(headers['content-type'] ?? '') || body.length === 0) {
    return false;
  }
  try {
    JSON.parse(body.toString('utf8'));
    return false;
  } catch {
    return true;
  }
}

/**
 * A plain forwarding hop in front of Prism: it passes requests and answers through unchanged except for
 * the `sl-violations` header, which it takes off the answer and records with the request and the body
 * of the answer.
 */
export async function startRecorder(prismUrl: string, appUrl: string): Promise<Recorder> {
  const exchanges: Exchange[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const direct = isMalformedJson(incoming.headers, body);
      const { hostname, port } = new URL(direct ? appUrl : prismUrl);
      const exchange: Exchange = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        status: 0,
        violations: [],
        direct,
        body: '',
      };
      exchanges.push(exchange);
      const forwarded = httpRequest(
        { hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        answer => {
          const headers: IncomingHttpHeaders = { ...answer.headers };
          const header = headers['sl-violations'];
          delete headers['sl-violations'];
          exchange.status = answer.statusCode ?? 0;
          exchange.violations = typeof header === 'string' ? parseViolations(header) : [];
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            exchange.body = Buffer.concat(answerChunks).toString('utf8');
          });
          outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', error => {
        exchange.violations = [
          { location: ['proxy'], severity: 'Error', message: `no answer from upstream: ${error.message}` },
        ];
        outgoing.destroy();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${own}`,
    exchanges,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Prism cuts a long header and says so; a cut list counts as one violation that says it was cut. */
function parseViolations(header: string): PrismViolation[] {
  try {
    return JSON.parse(header) as PrismViolation[];
  } catch {
    return [{ location: ['sl-violations'], severity: 'Error', message: header.slice(0, 300) }];
  }
}
