/** What a reporter receives, once per error response, after the answer is written. */
export interface ApiErrorEvent {
  /** The id sent in the body and the `X-Error-Id` header, and written in the log line. */
  readonly errorId: string;
  /** The `error_code` of the answer. */
  readonly code: string;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** What was thrown (or the framework's or Node's parser's error). */
  readonly exception: unknown;
  /** The adapter's request object; `undefined` for a request Node's HTTP parser refused. */
  readonly request: unknown;
}

/**
 * Sends errors somewhere else (an error tracker, metrics). One that is a provider (it injects the
 * tracker's client, say) is registered under `API_ERROR_REPORTER` in any module:
 * `providers: [{ provide: API_ERROR_REPORTER, useClass: SentryReporter }]`, default (singleton) scope.
 * A plain object is given with `forRoot({ reporters: [...] })`. Called once per error response, after the
 * answer is written; what it throws or rejects is logged and never changes the answer.
 */
export interface ApiErrorReporter {
  report(event: ApiErrorEvent): void | Promise<void>;
}

/** The names `errorIdFrom` accepts: the request headers an error id may be taken from. */
export type ErrorIdSource = 'x-request-id' | 'traceparent';
