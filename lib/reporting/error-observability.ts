import type { Logger } from '@nestjs/common';
import { isPromiseLike } from '../guards/dependency-call.js';
import type { ApiErrorEvent } from './api-error-reporter.interface.js';
import { resolveObservabilityOptions, type ObservabilityOptions } from './observability-options.js';
import { annotateActiveSpan } from './opentelemetry.js';
import { requestErrorId } from './request-error-id.js';

/**
 * The filter's links to the rest of the application's observability: the error id taken from the
 * request (`errorIdFrom`), the active OpenTelemetry span (`openTelemetry`) and the reporters
 * (`onError`, `reporters`).
 */
export class ErrorObservability {
  private readonly options: ReturnType<typeof resolveObservabilityOptions>;
  /** `onError`, then each of `reporters`: made once, not per error. */
  private readonly calls: readonly ((event: ApiErrorEvent) => void | Promise<void>)[];
  private readonly report = (event: ApiErrorEvent): void => {
    for (const call of this.calls) {
      this.callSafely(call, event);
    }
  };

  constructor(
    options: object,
    private readonly logger: Logger,
  ) {
    this.options = resolveObservabilityOptions(options as ObservabilityOptions);
    const { onError, reporters } = this.options;
    const calls = reporters.map(reporter => (event: ApiErrorEvent) => reporter.report(event));
    this.calls = onError === undefined ? calls : [onError, ...calls];
  }

  /** The request's own id when `errorIdFrom` names a header that holds a well-formed one. */
  errorIdOf(request: unknown): string | undefined {
    return this.options.errorIdFrom.length === 0 ? undefined : requestErrorId(request, this.options.errorIdFrom);
  }

  /**
   * After the answer is written: marks the active span now (it is still the request's), and calls the
   * reporters on a later turn of the event loop, so that none of them holds the answer back.
   */
  errorAnswered(event: ApiErrorEvent): void {
    if (this.options.openTelemetry) {
      annotateActiveSpan(event.code, event.errorId, event.status, event.exception);
    }
    if (this.calls.length > 0) {
      setImmediate(this.report, event);
    }
  }

  private callSafely(call: (event: ApiErrorEvent) => void | Promise<void>, event: ApiErrorEvent): void {
    try {
      const result = call(event);
      if (isPromiseLike(result)) {
        result.then(undefined, (failure: unknown) => this.failed(failure, event));
      }
    } catch (failure) {
      this.failed(failure, event);
    }
  }

  /** Only the kind of failure: a reporter's message may quote the request (a token, a password). */
  private failed(failure: unknown, event: ApiErrorEvent): void {
    const kind = failure instanceof Error ? failure.name : typeof failure;
    this.logger.error(`error reporter failed (${kind}) for error_id=${event.errorId} ${event.code}`);
  }
}
