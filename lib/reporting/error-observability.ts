import type { Logger } from '@nestjs/common';
import { isPromiseLike } from '../guards/dependency-call.js';
import type { ApiErrorEvent, ApiErrorReporter } from './api-error-reporter.interface.js';
import { resolveObservabilityOptions, type ObservabilityOptions } from './observability-options.js';
import { annotateActiveSpan } from './opentelemetry.js';
import { requestErrorId } from './request-error-id.js';

/**
 * The filter's links to the rest of the application's observability: the error id taken from the
 * request (`errorIdFrom`), the active OpenTelemetry span (`openTelemetry`) and the reporters
 * (`onError`, `reporters`, the `API_ERROR_REPORTER` providers).
 */
export class ErrorObservability {
  private readonly options: ReturnType<typeof resolveObservabilityOptions>;
  /** The `reporters` option's entries, then the `API_ERROR_REPORTER` providers (`addReporters`). */
  private reporters: readonly ApiErrorReporter[];
  /** `onError`, then each of `reporters`: made at start-up, not per error. */
  private calls: readonly ((event: ApiErrorEvent) => void | Promise<void>)[] = [];
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
    this.reporters = this.options.reporters;
    this.makeCalls();
  }

  /**
   * Adds reporters after those of the `reporters` option, once, at start-up: the module gives the
   * providers registered under `API_ERROR_REPORTER`. One already there is not added again.
   */
  addReporters(reporters: readonly ApiErrorReporter[]): void {
    const added = reporters.filter(
      (reporter, index) => !this.reporters.includes(reporter) && reporters.indexOf(reporter) === index,
    );
    if (added.length > 0) {
      this.reporters = [...this.reporters, ...added];
      this.makeCalls();
    }
  }

  private makeCalls(): void {
    const { onError } = this.options;
    const calls = this.reporters.map(reporter => (event: ApiErrorEvent) => reporter.report(event));
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
