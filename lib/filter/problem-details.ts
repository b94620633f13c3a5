import { STATUS_CODES } from 'node:http';
import type { HttpServer } from '@nestjs/common';
import type { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { acceptsProblemJson } from './problem-details-accept.js';
import type { ResolvedError } from './resolved-error.interface.js';

/** RFC 9457's media type, sent instead of the envelope's to a client that asks for it. */
export const PROBLEM_JSON = 'application/problem+json';

/** How the filter answers in RFC 9457's format: the `type` of a code (see `problemDetailsOption`). */
export interface ProblemDetailsSettings {
  readonly typeOf: (code: string) => string;
}

/**
 * The problem details body for this answer, or `undefined` when the envelope is due: the option is off
 * (`settings` undefined), or the client did not ask for `application/problem+json` (see `acceptsProblemJson`).
 */
export function problemDetailsBody(
  settings: ProblemDetailsSettings | undefined,
  adapter: HttpServer,
  response: unknown,
  error: ResolvedError,
  errorId: string,
  fields: ResolvedError['fields'],
  registry: ApiErrorRegistry,
): string | undefined {
  if (settings === undefined) {
    return undefined;
  }
  const request = requestOf(response);
  if (request === undefined || !acceptsProblemJson(request.headers?.accept)) {
    return undefined;
  }
  return JSON.stringify({
    type: settings.typeOf(error.code),
    title: registry.get(error.code)?.message ?? STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: detailOf(error.messages),
    instance: pathOf(request, adapter),
    error_code: error.code,
    error_id: errorId,
    messages: error.messages,
    ...fields,
  });
}

interface RequestLike {
  headers?: Record<string, string | string[] | undefined>;
}

/** Express's response and Node's carry their request as `req`, Fastify's reply as `request`. */
function requestOf(response: unknown): RequestLike | undefined {
  const holder = response as { req?: RequestLike; request?: RequestLike } | null;
  return holder?.req ?? holder?.request ?? undefined;
}

/** The path only: the query string may carry tokens or personal data, which a body must not repeat. */
function pathOf(request: RequestLike, adapter: HttpServer): string {
  let url: unknown;
  try {
    url = adapter.getRequestUrl?.(request);
  } catch {
    url = undefined;
  }
  if (typeof url !== 'string') {
    url = (request as { url?: unknown }).url;
  }
  const path = typeof url === 'string' ? (url.split(/[?#]/, 1)[0] ?? '') : '';
  if (path.startsWith('/')) {
    return path;
  }
  // the absolute form a proxy may send (`GET http://host/x`): its path alone, as for the other forms
  return URL.canParse(path) ? new URL(path).pathname : '/';
}

/** The messages as one string: a list joined, messages by field each after the field's name. */
function detailOf(messages: ResolvedError['messages']): string {
  if (Array.isArray(messages)) {
    return messages.join(' ');
  }
  return Object.entries(messages as Record<string, readonly string[]>)
    .map(([field, list]) => `${field}: ${list.join(' ')}`)
    .join(' ');
}
