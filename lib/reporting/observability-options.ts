import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorEvent, ApiErrorReporter, ErrorIdSource } from './api-error-reporter.interface.js';

/** The module's options that link errors to logs, traces and error trackers (docs/observability.md). */
export interface ObservabilityOptions {
  /**
   * Called once per error response, after the answer is written, with `{ errorId, code, status,
   * exception, request }`. What it throws or rejects is logged and never changes the answer.
   * @default none
   */
  onError?: (event: ApiErrorEvent) => void | Promise<void>;

  /**
   * Objects with a `report(event)` method, called like `onError`, after it. A reporter that is a provider
   * is better registered under `API_ERROR_REPORTER` in its own module (called after these); or given here
   * through `forRootAsync({ inject, useFactory })`.
   * @default []
   */
  reporters?: readonly ApiErrorReporter[];

  /**
   * Take the error id from the request, from the first of these headers that holds a well-formed one:
   * `'x-request-id'` (8 to 128 characters of `A-Z a-z 0-9 . _ -`) or `'traceparent'` (its W3C trace id).
   * Any other value gets a generated id.
   * @default [] (always a generated id)
   */
  errorIdFrom?: readonly ErrorIdSource[];

  /**
   * Set `error.type` (the code) and `error.id` on the active OpenTelemetry span; for a 5xx also record
   * the exception and set the span's status to ERROR. Needs `@opentelemetry/api` installed.
   * @default false
   */
  openTelemetry?: boolean;
}

const SOURCES: readonly ErrorIdSource[] = ['x-request-id', 'traceparent'];

/** Checks the observability options at start-up, naming the wrong one. */
export function resolveObservabilityOptions(options: ObservabilityOptions) {
  const { onError, reporters = [], errorIdFrom = [], openTelemetry = false } = options;
  if (onError !== undefined && typeof onError !== 'function') {
    throw ApiErrorsConfigurationError.create('onError is not a function', 'Give (event) => { … }, or leave it out');
  }
  const reporterList: unknown = reporters;
  if (
    !Array.isArray(reporterList) ||
    reporterList.some(
      reporter =>
        reporter === null ||
        typeof reporter !== 'object' ||
        typeof (reporter as ApiErrorReporter).report !== 'function',
    )
  ) {
    throw ApiErrorsConfigurationError.create(
      'reporters is not a list of objects with a report() method',
      'Give [new MyReporter(), …], or register a provider under API_ERROR_REPORTER',
    );
  }
  const sources: unknown = errorIdFrom;
  if (!Array.isArray(sources) || sources.some(source => !SOURCES.includes(source as ErrorIdSource))) {
    throw ApiErrorsConfigurationError.create(
      'errorIdFrom is not a list of id sources',
      "Give some of 'x-request-id' and 'traceparent', in the order to try them",
    );
  }
  if (typeof openTelemetry !== 'boolean') {
    throw ApiErrorsConfigurationError.create('openTelemetry is not a boolean', 'Give true or false (default false)');
  }
  return {
    onError,
    reporters: reporterList as readonly ApiErrorReporter[],
    errorIdFrom: sources as readonly ErrorIdSource[],
    openTelemetry,
  };
}
