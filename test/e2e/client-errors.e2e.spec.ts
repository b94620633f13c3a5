import { connect } from 'node:net';
import { Ajv } from 'ajv';
import { apiErrorBodySchema } from 'nestjs-api-errors';
import { ADAPTERS, startFixture, type RunningApp } from '../support/fixture-app.js';

// Requests Node's HTTP parser refuses before Express or Fastify sees them: without the package, Node
// answers a bare `400 Bad Request` (Express) and Fastify its own JSON. With it, the envelope.

const validate = new Ajv({ strict: true }).compile(apiErrorBodySchema);
const SECRET = 'Bearer parser-refused-secret-token';

/** Writes raw bytes and reads what comes back until the server closes. */
function raw(
  baseUrl: string,
  bytes: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port: Number(port), host: '127.0.0.1' });
    socket.on('data', chunk => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map(line => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(bytes);
  });
}

describe.each(ADAPTERS)('requests the HTTP parser refuses, on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it.each([
    [
      'a header name with a space',
      `GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: ${SECRET}\r\nBad Header: y\r\n\r\n`,
      400,
      'The request is not valid HTTP/1.1.',
    ],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'The request is not valid HTTP/1.1.'],
    [
      'a control character in a header value',
      `GET /ping HTTP/1.1\r\nHost: x\r\nX-Test: a\u0001b\r\n\r\n`,
      400,
      'The request is not valid HTTP/1.1.',
    ],
    [
      'header fields over 16 KiB',
      `GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: ${SECRET}\r\nX-Huge: ${'h'.repeat(20_000)}\r\n\r\n`,
      431,
      'The request header fields are too large.',
    ],
  ])(
    'answers %s with the envelope, its id in the header and in one log line',
    async (_case, bytes, status, message) => {
      running.logs.clear();
      const res = await raw(running.baseUrl, bytes);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = JSON.parse(res.body) as { error_id: string };
      expect(validate(body)).toBe(true);
      expect(res.body).toBe(
        JSON.stringify({ status: 'error', error_code: 'request.failed', error_id: body.error_id, messages: [message] }),
      );
      expect(res.headers['x-error-id']).toBe(body.error_id);
      expect(running.logs.linesWith(body.error_id)).toHaveLength(1);
      expect(running.logs.text()).not.toContain('parser-refused-secret-token');
    },
  );
});
