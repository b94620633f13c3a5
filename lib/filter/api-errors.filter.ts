import { Catch, Injectable, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, HttpServer } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Duplex } from 'node:stream';
import { canAnswer, writeRawErrorResponse } from '../adapters/client-error.js';
import { API_ERRORS_LOGGER_CONTEXT } from '../api-errors.constants.js';
import type { ClientErrorLogLevel } from '../api-errors-options.interface.js';
import { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { resolveFilterOptions } from '../options/resolve-options.js';
import { ErrorObservability } from '../reporting/error-observability.js';
import { translateOptions, translateResolvedError } from '../i18n/translate-messages.js';
import { ApiErrorsFilterOptions } from './api-errors-filter-options.js';
import { errorLogEntry, writeErrorLogEntry } from './log-entry.js';
import { errorBody, headerSetter, httpArgumentsHost, withRetryAfterHeader } from './error-response.js';
import { resolveClientError } from './framework-errors.js';
import { PROBLEM_JSON, problemDetailsBody, type ProblemDetailsSettings } from './problem-details.js';
import { filterProblemDetails } from '../options/problem-details-options.js';
import { handOutsideHttp } from './non-http-fallbacks.js';
import { resolveError } from './resolve-error.js';
import type { ResolvedError } from './resolved-error.interface.js';

/**
 * The global filter: every failure of an HTTP request becomes
 * `{ status: "error", error_code, error_id, messages }` with the code's status, the error id in the
 * `X-Error-Id` header, and one log line that carries the same id. 5xx bodies say nothing of the error.
 * Outside HTTP (microservices, WebSockets, GraphQL) it hands the error to Nest's own handling.
 *
 * Built to be extended, as Nest's `BaseExceptionFilter` is: a subclass overrides a protected step and
 * calls `super`, and is registered with `ApiErrorsModule.forRoot({ filter: MyFilter })` (docs/filter.md).
 * The steps of `catch()`, in order: `resolve()`, `log()`, `translateMessages()`, `send()`; outside HTTP,
 * `catchOutsideHttp()`.
 */
@Catch()
@Injectable()
export class ApiErrorsFilter implements ExceptionFilter {
  protected readonly logger = new Logger(API_ERRORS_LOGGER_CONTEXT);
  protected readonly errorIdHeader: string | false;
  protected readonly generateErrorId: () => string;
  protected readonly clientErrorLogLevel: ClientErrorLogLevel | false;
  /** The page of a code, sent as `doc_url` (the `docUrl` option); `undefined` sends none. */
  protected readonly docUrlOf: ((code: string) => string | undefined) | undefined;
  /** The request's own error id, the active span and the reporters (docs/observability.md). */
  protected readonly observability: ErrorObservability;
  /** RFC 9457's answer to a client that asks for it (the `problemDetails` option); `undefined`: off. */
  protected readonly problemDetails: ProblemDetailsSettings | undefined;
  /** The `translate` option (none: the messages go out as resolved) and how long an async one is waited for. */
  private readonly translation: ReturnType<typeof translateOptions>;

  constructor(
    options: ApiErrorsFilterOptions,
    protected readonly httpAdapterHost: HttpAdapterHost,
    protected readonly registry: ApiErrorRegistry,
  ) {
    ({
      errorIdHeader: this.errorIdHeader,
      generateErrorId: this.generateErrorId,
      clientErrorLogLevel: this.clientErrorLogLevel,
      docUrl: this.docUrlOf,
    } = resolveFilterOptions(options));
    this.problemDetails = filterProblemDetails(options.problemDetails, this.docUrlOf);
    this.observability = new ErrorObservability(options, this.logger);
    this.translation = translateOptions(options);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') {
      return this.catchOutsideHttp(exception, host);
    }
    const error = this.resolve(exception, host);
    const errorId = this.observability.errorIdOf(host.getArgByIndex(0)) ?? this.generateErrorId();
    this.log(exception, error, errorId, host.getArgByIndex(0));
    const translated = this.translateMessages(error, errorId, host.getArgByIndex(0));
    if (translated instanceof Promise) {
      // An async `translate`: the answer goes out once it settles (bounded by `translateTimeout`). Nest does
      // not await a filter, so a failure to write it is caught here, not left as an unhandled rejection.
      return translated
        .then(done => this.answer(exception, host, done, errorId))
        .catch((failure: unknown) => {
          this.logger.error(
            `could not write the answer of error_id=${errorId} (${failure instanceof Error ? failure.name : typeof failure})`,
          );
        });
    }
    return this.answer(exception, host, translated, errorId);
  }

  /** The end of `catch()`, once the messages are translated: `send()`, unless the answer has begun. */
  private answer(exception: unknown, host: ArgumentsHost, error: ResolvedError, errorId: string): undefined {
    const response: unknown = host.getArgByIndex(1);
    const adapter = this.httpAdapterHost.httpAdapter as HttpServer | undefined;
    if (adapter === undefined) {
      return undefined;
    }
    if (adapter.isHeadersSent(response)) {
      // The handler began its answer (a stream that failed half-way): end it, the log has the error.
      adapter.end(response);
      return undefined;
    }
    this.send(response, error, errorId);
    this.report(exception, error, errorId, host.getArgByIndex(0));
    return undefined;
  }

  /**
   * Answers an error that reached no exception filter: one Fastify's router raises before Nest sees the
   * request (see `apiErrorsFastifyOptions()`). The same path as `catch()`: same id, log line and body.
   */
  catchFrameworkError(exception: unknown, request: unknown, response: unknown): void {
    this.catch(exception, httpArgumentsHost(request, response));
  }

  /**
   * Answers a request Node's HTTP parser refused before any framework saw it (a malformed request line or
   * header, header fields over the size limit, a request that took too long), on the raw socket: the
   * envelope with its own error id, logged by `log()` like any 4xx (with no request to describe).
   */
  catchClientError(error: unknown, socket: Duplex): void {
    if (!canAnswer(error, socket)) {
      socket.destroy(); // as Node does: the framework that has a request on it sees it end
      return;
    }
    const resolved = resolveClientError(error);
    const errorId = this.generateErrorId();
    this.log(error, resolved, errorId, undefined);
    const body = errorBody(resolved, errorId, resolved.fields, this.docUrlOf?.(resolved.code));
    writeRawErrorResponse(socket, resolved.status, body, this.errorIdHeader, errorId);
    this.report(error, resolved, errorId, undefined);
  }

  /**
   * Step 1: the code, status, messages, extra body fields and headers of the answer to `exception`
   * (the README's table "What every failure becomes"). Never throws.
   */
  protected resolve(exception: unknown, host: ArgumentsHost): ResolvedError {
    return resolveError(exception, host.getArgByIndex(0), this.httpAdapterHost.httpAdapter, this.registry);
  }

  /**
   * Step 2: one log entry per error, its fields as data (`error_id`, `error_code`, `status`, `method`,
   * `path`, never the query, which may hold secrets) and as a sentence (see `writeErrorLogEntry()`).
   * 5xx at `error` level with the stack of the error and its causes; 4xx at `clientErrorLogLevel`, or
   * not at all. `request` is `undefined` for a request Node's parser refused.
   */
  protected log(exception: unknown, error: ResolvedError, errorId: string, request: unknown): void {
    const isServerFault = error.status >= 500;
    if (!isServerFault && this.clientErrorLogLevel === false) {
      return;
    }
    const adapter = this.httpAdapterHost.httpAdapter as HttpServer | undefined;
    const entry = errorLogEntry(exception, error, errorId, request, adapter);
    writeErrorLogEntry(this.logger, isServerFault ? 'error' : (this.clientErrorLogLevel as ClientErrorLogLevel), entry);
  }

  /**
   * Step 2½: the messages in the client's language, by the `translate` option. A sync translator gives a
   * sync answer; an async one a promise, bounded by `translateTimeout`. Never throws nor rejects: on a
   * failure the untranslated messages go out, and the log line says why without quoting them.
   */
  protected translateMessages(
    error: ResolvedError,
    errorId: string,
    request: unknown,
  ): ResolvedError | Promise<ResolvedError> {
    const { translate, translateTimeout } = this.translation;
    if (translate === undefined) {
      return error;
    }
    return translateResolvedError(translate, translateTimeout, error, request, reason =>
      this.logger.error(`translate ${reason}: ${error.status} ${error.code} error_id=${errorId}, sent untranslated`),
    );
  }

  /**
   * Step 3: writes the envelope through the HTTP adapter, with `Content-Type`, the error id header, the
   * error's own headers and `Retry-After`; RFC 9457's body instead to a client that asks for it, with the
   * `problemDetails` option. Not called once the handler has begun its answer.
   */
  protected send(response: unknown, error: ResolvedError, errorId: string): void {
    const adapter = this.httpAdapterHost.httpAdapter as HttpServer;
    const fields = error.code === 'request.rate.exceeded' ? withRetryAfterHeader(error.fields, response) : error.fields;
    // RFC 9457's body instead of the envelope, when the option is on and the client asked for it
    const problem = problemDetailsBody(this.problemDetails, adapter, response, error, errorId, fields, this.registry);
    const body = problem ?? errorBody(error, errorId, fields, this.docUrlOf?.(error.code));
    const setHeader = headerSetter(adapter, response);
    setHeader('Content-Type', `${problem === undefined ? 'application/json' : PROBLEM_JSON}; charset=utf-8`);
    if (this.errorIdHeader !== false) {
      setHeader(this.errorIdHeader, errorId);
    }
    if (error.headers !== undefined) {
      for (const name in error.headers) {
        setHeader(name, error.headers[name] as string);
      }
    }
    const retryAfter = fields.retry_after;
    if (typeof retryAfter === 'number') {
      setHeader('Retry-After', String(retryAfter));
    }
    adapter.reply(response, body, error.status);
  }

  /**
   * Step 4, once the answer is written: the error's code and id on the active OpenTelemetry span, and
   * the event to `onError`, `reporters` and the `API_ERROR_REPORTER` providers, called later so that none delays the answer.
   */
  protected report(exception: unknown, error: ResolvedError, errorId: string, request: unknown): void {
    this.observability.errorAnswered({ errorId, code: error.code, status: error.status, exception, request });
  }

  /** Outside HTTP: Nest's own handling for the context (see `handOutsideHttp()`). */
  protected catchOutsideHttp(exception: unknown, host: ArgumentsHost): unknown {
    return handOutsideHttp(exception, host, this.logger);
  }
}
