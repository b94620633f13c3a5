/** The part of `@opentelemetry/api` used here, so the package compiles without it installed. */
interface OpenTelemetryApi {
  trace: { getActiveSpan(): SpanLike | undefined };
  SpanStatusCode: { ERROR: number };
}

interface SpanLike {
  setAttributes(attributes: Record<string, string>): unknown;
  recordException(exception: Error | string): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
}

let api: OpenTelemetryApi | undefined;

/**
 * `@opentelemetry/api` is an optional peer: loaded once, when this module loads, never while answering a
 * request. Resolves once the attempt is over, whether the package was found or not.
 */
export const openTelemetryLoaded: Promise<boolean> = import('@opentelemetry/api').then(
  module => {
    api = module as unknown as OpenTelemetryApi;
    return true;
  },
  () => false,
);

/**
 * Marks the active span with the error's code and id; a 5xx also records the exception and sets the
 * span's status to ERROR (a 4xx is the client's fault, not the service's, as OpenTelemetry's HTTP
 * conventions say for server spans).
 */
export function annotateActiveSpan(code: string, errorId: string, status: number, exception: unknown): void {
  const span = api?.trace.getActiveSpan();
  if (api === undefined || span === undefined) {
    return;
  }
  span.setAttributes({ 'error.type': code, 'error.id': errorId });
  if (status >= 500) {
    span.recordException(exception instanceof Error ? exception : String(code));
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
  }
}
