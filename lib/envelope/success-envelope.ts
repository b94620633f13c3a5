import { StreamableFile } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';

/** Marks a response whose route opted out of the envelope (see `@SkipSuccessEnvelope()`). */
export const SKIP_SUCCESS_ENVELOPE = Symbol.for('nestjs-api-errors.skip-success-envelope');

const INSTALLED = Symbol.for('nestjs-api-errors.success-envelope');

type Reply = HttpServer['reply'];

/**
 * Adds `status: "success"` to what handlers return, at the one step every handler result passes
 * through on both adapters: `HttpServer.reply()`. An interceptor would do the same but makes Nest run
 * every handler through RxJS: one no-op interceptor took a third of plain Fastify's throughput here.
 *
 * Left alone: error statuses, `undefined` (no body), strings (Nest sends them as text), buffers,
 * streams and `StreamableFile`s, `@Res()` handlers (they never reach `reply()`), redirects and renders
 * (other methods), and routes marked with `@SkipSuccessEnvelope()`.
 */
export function installSuccessEnvelope(adapter: HttpServer): void {
  const target = adapter as HttpServer & { [INSTALLED]?: boolean };
  if (target[INSTALLED] === true) {
    return;
  }
  const reply: Reply = adapter.reply;
  target.reply = function envelopedReply(this: HttpServer, response: unknown, body: unknown, statusCode?: number) {
    return reply.call(this, response, toSuccessBody(response, body, statusCode), statusCode);
  };
  target[INSTALLED] = true;
}

/** The body to send for a handler's result: enveloped when it is a successful JSON body. */
export function toSuccessBody(response: unknown, body: unknown, statusCode: number | undefined): unknown {
  if (body === undefined || typeof body === 'string' || typeof body === 'function' || typeof body === 'symbol') {
    return body;
  }
  const status = statusCode ?? (response as { statusCode?: number }).statusCode ?? 200;
  if (status < 200 || status >= 300 || (response as Record<symbol, unknown>)[SKIP_SUCCESS_ENVELOPE] === true) {
    return body;
  }
  if (body === null || typeof body !== 'object') {
    return { status: 'success', data: body };
  }
  if (isRawBody(body)) {
    return body;
  }
  const json =
    typeof (body as { toJSON?: unknown }).toJSON === 'function' ? (body as { toJSON(): unknown }).toJSON() : body;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { status: 'success', data: json };
  }
  // `status` comes first; a `status` of the handler's own is replaced, the envelope owns that field.
  const enveloped: Record<string, unknown> = { status: 'success', ...json };
  enveloped.status = 'success';
  return enveloped;
}

function isRawBody(body: object): boolean {
  return (
    body instanceof StreamableFile ||
    ArrayBuffer.isView(body) ||
    body instanceof ArrayBuffer ||
    typeof (body as { pipe?: unknown }).pipe === 'function' ||
    body instanceof Error
  );
}
