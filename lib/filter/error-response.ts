import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import type { ResolvedError } from './resolved-error.interface.js';

/**
 * The envelope's bytes: `{ status: "error", error_code, error_id, messages, ...fields }`, and `doc_url`
 * when the `docUrl` option gives the code a page (after the fields: the option has the last word).
 */
export function errorBody(
  error: ResolvedError,
  errorId: string,
  fields: ResolvedError['fields'],
  docUrl?: string,
): string {
  return JSON.stringify({
    status: 'error',
    error_code: error.code,
    error_id: errorId,
    messages: error.messages,
    ...fields,
    ...(docUrl === undefined ? {} : { doc_url: docUrl }),
  });
}

/**
 * A rate limiter that answered before us (`@nestjs/throttler` sets `Retry-After` itself) gets its
 * header repeated in the body as `retry_after`.
 */
export function withRetryAfterHeader(fields: ResolvedError['fields'], response: unknown): ResolvedError['fields'] {
  if (fields.retry_after !== undefined) {
    return fields;
  }
  const header = (response as { getHeader?: (name: string) => unknown }).getHeader?.('Retry-After');
  const seconds = Number(header);
  return typeof header !== 'undefined' && header !== '' && Number.isInteger(seconds) && seconds >= 0
    ? { ...fields, retry_after: seconds }
    : fields;
}

/** The `ArgumentsHost` Nest would give the filter for an HTTP request (for errors no filter saw). */
export function httpArgumentsHost(request: unknown, response: unknown): ArgumentsHost {
  const args = [request, response, undefined];
  const http = { getRequest: () => request, getResponse: () => response, getNext: () => undefined };
  return {
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    getType: () => 'http',
    switchToHttp: () => http,
    switchToRpc: () => {
      throw new Error('not an RPC context');
    },
    switchToWs: () => {
      throw new Error('not a WebSocket context');
    },
  } as unknown as ArgumentsHost;
}

/**
 * How the filter sets a header on `response`: through the adapter, except on the raw Node response that
 * Fastify's middleware engine hands to filters of errors thrown in a middleware, which Nest 11's Fastify
 * adapter cannot set headers on (it calls the Fastify reply's `header()`).
 */
export function headerSetter(adapter: HttpServer, response: unknown): (name: string, value: string) => void {
  const raw = response as { header?: unknown; setHeader?: (name: string, value: string) => unknown };
  if (typeof raw.header !== 'function' && typeof raw.setHeader === 'function' && adapter.getType() === 'fastify') {
    return (name, value) => void raw.setHeader?.(name, value);
  }
  return (name, value) => void adapter.setHeader(response, name, value);
}
