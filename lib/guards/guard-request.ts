import type { ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** What the guards read of a request; the same on Express and Fastify. */
export interface GuardRequest {
  method: string;
  url: string;
  /** Express: the URL as the client sent it (`url` loses the mount path of a parent app). */
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  /** Parsed body, when the route has one. */
  body?: unknown;
  /** The body's bytes, with `NestFactory.create(…, { rawBody: true })`. */
  rawBody?: Buffer;
  /** Express: the raw header list. */
  rawHeaders?: string[];
  /** Fastify: the Node request. */
  raw?: { rawHeaders: string[]; url?: string };
  ip?: string;
  [key: symbol]: unknown;
}

/**
 * The request of an HTTP context: what `switchToHttp().getRequest()` answers, read without Nest's
 * `switchToHttp()`, which attaches three new closures to the context on every call.
 */
export function httpRequest(context: ExecutionContext): GuardRequest {
  return context.getArgByIndex<GuardRequest>(0);
}

/** How many times a header was sent (Node keeps one `Authorization` of several; this counts them all). */
export function headerCount(request: GuardRequest, name: string): number {
  const raw = request.rawHeaders ?? request.raw?.rawHeaders ?? [];
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const header = raw[i];
    // Lower-cased only when the length matches: no string made per header of every request.
    if (header !== undefined && header.length === name.length && header.toLowerCase() === name) {
      count++;
    }
  }
  return count;
}

/** A field of a JSON / form body object, if the body is one. */
export function bodyField(request: GuardRequest, field: string): unknown {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, field)
    ? (body as Record<string, unknown>)[field]
    : undefined;
}

/** Removes a field the guard has used, so that a whitelisting ValidationPipe does not reject it. */
export function removeBodyField(request: GuardRequest, field: string): void {
  const body = request.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    delete (body as Record<string, unknown>)[field];
  }
}

/** Whether the request has a body: a non-zero `Content-Length` or a `Transfer-Encoding`. */
export function hasBody(request: GuardRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** The media type of the body, lower-case and without parameters (`''` when none is given). */
export function mediaType(request: GuardRequest): string {
  const contentType = request.headers['content-type'] ?? '';
  const separator = contentType.indexOf(';');
  return (separator === -1 ? contentType : contentType.slice(0, separator)).trim().toLowerCase();
}

/**
 * The request's path and query string as the client sent them, split at the first `?`: Fastify's raw
 * URL, Express's `originalUrl` (a Nest app mounted under a parent Express app sees only the rest of
 * the path in `url`).
 */
export function pathAndQuery(request: GuardRequest): { path: string; query: string } {
  const url = request.raw?.url ?? request.originalUrl ?? request.url;
  const at = url.indexOf('?');
  return at === -1 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}
