import { Catch, IntrinsicException, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, HttpServer } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { defer, from, mergeMap, type Observable } from 'rxjs';
import { API_ERRORS_LOGGER_CONTEXT } from '../api-errors.constants.js';
import { resolveFilterOptions } from '../options/resolve-options.js';
import type { ApiErrorsModuleOptions, ClientErrorLogLevel } from '../api-errors-options.interface.js';
import type { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import type { Duplex } from 'node:stream';
import { canAnswer, resolveClientError, writeRawErrorResponse } from '../adapters/client-error.js';
import type { ResolvedError } from './resolved-error.interface.js';
import { resolveError } from './resolve-error.js';

/**
 * The global filter: every failure of an HTTP request becomes
 * `{ status: "error", error_code, error_id, messages }` with the code's status, the error id in the
 * `X-Error-Id` header, and one log line that carries the same id. 5xx bodies say nothing of the error.
 *
 * Outside HTTP (microservices, WebSockets, GraphQL) it hands the error back to Nest's own handling for
 * that context.
 */
@Catch()
export class ApiErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(API_ERRORS_LOGGER_CONTEXT);
  private readonly errorIdHeader: string | false;
  private readonly generateErrorId: () => string;
  private readonly clientErrorLogLevel: ClientErrorLogLevel | false;

  constructor(
    options: ApiErrorsModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: ApiErrorRegistry,
  ) {
    ({
      errorIdHeader: this.errorIdHeader,
      generateErrorId: this.generateErrorId,
      clientErrorLogLevel: this.clientErrorLogLevel,
    } = resolveFilterOptions(options));
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') {
      return this.catchOutsideHttp(exception, host);
    }
    const http = host.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    const adapter = this.adapterHost.httpAdapter as HttpServer | undefined;
    const error = resolveError(exception, request, adapter, this.registry);
    const errorId = this.generateErrorId();
    this.log(exception, error, errorId, request, adapter);
    if (adapter === undefined) {
      return undefined;
    }
    if (adapter.isHeadersSent(response)) {
      // The handler began its answer (a stream that failed half-way): end it, the log has the error.
      adapter.end(response);
      return undefined;
    }
    this.send(adapter, response, error, errorId);
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
   * envelope with its own error id, logged like any 4xx.
   */
  catchClientError(error: unknown, socket: Duplex): void {
    if (!canAnswer(error, socket)) {
      socket.destroy(); // as Node does: the framework that has a request on it sees it end
      return;
    }
    const resolved = resolveClientError(error);
    const errorId = this.generateErrorId();
    this.log(error, resolved, errorId, undefined, undefined);
    writeRawErrorResponse(
      socket,
      resolved.status,
      errorBody(resolved, errorId, resolved.fields),
      this.errorIdHeader,
      errorId,
    );
  }

  private send(adapter: HttpServer, response: unknown, error: ResolvedError, errorId: string): void {
    const fields = error.code === 'request.rate.exceeded' ? withRetryAfterHeader(error.fields, response) : error.fields;
    const body = errorBody(error, errorId, fields);
    adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    if (this.errorIdHeader !== false) {
      adapter.setHeader(response, this.errorIdHeader, errorId);
    }
    if (error.headers !== undefined) {
      for (const name in error.headers) {
        adapter.setHeader(response, name, error.headers[name] as string);
      }
    }
    const retryAfter = fields.retry_after;
    if (typeof retryAfter === 'number') {
      adapter.setHeader(response, 'Retry-After', String(retryAfter));
    }
    adapter.reply(response, body, error.status);
  }

  /** One line per error: id, status, code, method and path (never the query, which may hold secrets). */
  private log(
    exception: unknown,
    error: ResolvedError,
    errorId: string,
    request: unknown,
    adapter: HttpServer | undefined,
  ): void {
    const isServerFault = error.status >= 500;
    if (!isServerFault && this.clientErrorLogLevel === false) {
      return;
    }
    const line = `${error.status} ${error.code} error_id=${errorId} ${describeRequest(request, adapter)}`;
    if (isServerFault) {
      this.logger.error(line, describeFault(exception));
    } else if (this.clientErrorLogLevel !== false) {
      this.logger[this.clientErrorLogLevel](line);
    }
  }

  private catchOutsideHttp(exception: unknown, host: ArgumentsHost): unknown {
    switch (host.getType<string>()) {
      case 'rpc':
        return rpcFallback(exception, host);
      case 'ws':
        wsFallback(exception, host, this.logger);
        return undefined;
      default:
        // GraphQL and other external contexts: what Nest's ExternalExceptionFilter does.
        if (exception instanceof Error && !(exception instanceof IntrinsicException)) {
          this.logger.error(exception);
        }
        throw exception;
    }
  }
}

/** The envelope's bytes. */
function errorBody(error: ResolvedError, errorId: string, fields: ResolvedError['fields']): string {
  return JSON.stringify({
    status: 'error',
    error_code: error.code,
    error_id: errorId,
    messages: error.messages,
    ...fields,
  });
}

/** The `ArgumentsHost` Nest would give the filter for an HTTP request. */
function httpArgumentsHost(request: unknown, response: unknown): ArgumentsHost {
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
 * A rate limiter that answered before us (`@nestjs/throttler` sets `Retry-After` itself) gets its
 * header repeated in the body as `retry_after`.
 */
function withRetryAfterHeader(fields: ResolvedError['fields'], response: unknown): ResolvedError['fields'] {
  if (fields.retry_after !== undefined) {
    return fields;
  }
  const header = (response as { getHeader?: (name: string) => unknown }).getHeader?.('Retry-After');
  const seconds = Number(header);
  return typeof header !== 'undefined' && header !== '' && Number.isInteger(seconds) && seconds >= 0
    ? { ...fields, retry_after: seconds }
    : fields;
}

function describeRequest(request: unknown, adapter: HttpServer | undefined): string {
  if (adapter === undefined || request === undefined) {
    return '';
  }
  try {
    const url = String(adapter.getRequestUrl?.(request));
    const queryAt = url.indexOf('?');
    return `${String(adapter.getRequestMethod?.(request))} ${queryAt === -1 ? url : url.slice(0, queryAt)}`;
  } catch {
    return '';
  }
}

/** The stack of a server fault, with the stacks of its causes; for a non-Error value, its type. */
function describeFault(exception: unknown): string {
  if (!(exception instanceof Error)) {
    return `non-Error value thrown (${exception === null ? 'null' : typeof exception})`;
  }
  const parts: string[] = [];
  let current: unknown = exception;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push((depth === 0 ? '' : '[cause]: ') + (current.stack ?? `${current.name}: ${current.message}`));
    current = current.cause;
  }
  return parts.join('\n');
}

/** Nest's own RPC handling (`BaseRpcExceptionFilter`), loaded only when a microservice fails. */
function rpcFallback(exception: unknown, host: ArgumentsHost): Observable<unknown> {
  return defer(() => from(import('@nestjs/microservices'))).pipe(
    mergeMap(microservices => new microservices.BaseRpcExceptionFilter().catch(exception, host)),
  );
}

/** Nest's own WebSocket handling (`BaseWsExceptionFilter`), loaded only when a gateway fails. */
function wsFallback(exception: unknown, host: ArgumentsHost, logger: Logger): void {
  import('@nestjs/websockets').then(
    websockets => new websockets.BaseWsExceptionFilter().catch(exception, host),
    (loadError: unknown) =>
      logger.error('A WebSocket error could not be handed to @nestjs/websockets', String(loadError)),
  );
}
