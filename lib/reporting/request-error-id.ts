import type { ErrorIdSource } from './api-error-reporter.interface.js';

/** An id a client may choose: it is echoed in a header and a log line, so nothing that could break either. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
/** W3C Trace Context, version 00: version, trace id, parent id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const ALL_ZEROS = /^0+$/;

function headerOf(request: unknown, name: string): unknown {
  const headers = (request as { headers?: unknown } | undefined)?.headers;
  return headers !== null && typeof headers === 'object' ? (headers as Record<string, unknown>)[name] : undefined;
}

function checked(source: ErrorIdSource, value: unknown): string | undefined {
  // A header sent twice reaches here as an array, or joined with ", ": neither passes.
  if (typeof value !== 'string') {
    return undefined;
  }
  if (source === 'x-request-id') {
    return REQUEST_ID.test(value) ? value : undefined;
  }
  const match = TRACEPARENT.exec(value);
  if (match === null || ALL_ZEROS.test(match[1] as string) || ALL_ZEROS.test(match[2] as string)) {
    return undefined;
  }
  return match[1];
}

/** The request's own id, from the first source in `sources` that holds a well-formed one; else `undefined`. */
export function requestErrorId(request: unknown, sources: readonly ErrorIdSource[]): string | undefined {
  for (const source of sources) {
    const id = checked(source, headerOf(request, source));
    if (id !== undefined) {
      return id;
    }
  }
  return undefined;
}
