import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Node's codes for a client that went away: reset, or closed its side in the middle of a request, which
 * the framework that has the request answers (a body that ended early) if anyone can.
 */
const CLIENT_GONE = new Set(['ECONNRESET', 'HPE_INVALID_EOF_STATE']);

/** Whether there is still someone to answer, and nobody else answers: not after the client went away, nor on a closed socket. */
export function canAnswer(error: unknown, socket: Duplex): boolean {
  return !CLIENT_GONE.has(String((error as { code?: unknown } | null)?.code)) && !socket.destroyed && socket.writable;
}

/** The whole HTTP response, written on the raw socket, which is closed after it. */
export function writeRawErrorResponse(
  socket: Duplex,
  status: number,
  body: string,
  errorIdHeader: string | false,
  errorId: string,
): void {
  const idHeader = errorIdHeader === false ? '' : `${errorIdHeader}: ${errorId}\r\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      idHeader +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The `clientError` listener for a Node HTTP server (Express), when the application has none of its own. */
export function listenForClientErrors(
  server: unknown,
  catcher: { catchClientError(error: unknown, socket: Duplex): void },
): void {
  const emitter = server as
    | {
        listenerCount?(event: string): number;
        on?(event: string, listener: (error: unknown, socket: Duplex) => void): void;
      }
    | undefined;
  if (typeof emitter?.on === 'function' && emitter.listenerCount?.('clientError') === 0) {
    emitter.on('clientError', (error, socket) => catcher.catchClientError(error, socket));
  }
}
