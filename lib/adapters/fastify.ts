import type { HttpServer, Logger } from '@nestjs/common';
import type { Duplex } from 'node:stream';
import { processWide } from '../process-wide.js';
import { canAnswer } from './client-error.js';

/**
 * Fastify's `frameworkErrors` hook: called by its router, before any hook, middleware or Nest exception
 * filter runs, for a URL whose percent-encoding cannot be decoded (`FST_ERR_BAD_URL`), a route parameter
 * longer than `maxParamLength` (`FST_ERR_MAX_PARAM_LENGTH`) and a failing async route constraint
 * (`FST_ERR_ASYNC_CONSTRAINT`). Typed loosely so that this package needs no types from Fastify.
 */
export type FastifyFrameworkErrorsHandler = (error: unknown, request: unknown, reply: unknown) => void;

/** What the module hands over once the application runs: the filter's way to answer a request. */
export interface FrameworkErrorCatcher {
  catchFrameworkError(error: unknown, request: unknown, reply: unknown): void;
  catchClientError(error: unknown, socket: Duplex): void;
}

/** Fastify's `clientErrorHandler`: called, with the Fastify instance as `this`, for what Node's HTTP parser refuses. */
export type FastifyClientErrorHandler = (this: unknown, error: unknown, socket: Duplex) => void;

interface Connection {
  adapter: HttpServer;
  catcher: FrameworkErrorCatcher;
}

/**
 * Fastify instances whose `ApiErrorsModule` has started, with the filter that answers for them (one map
 * for both builds of the package: the options may come from one and the module from the other).
 */
const connections = processWide('fastify-connections', () => new WeakMap<object, Connection>());

/** Every `frameworkErrors` handler made by `apiErrorsFastifyOptions()`, to tell at start-up whether one is in use. */
const helperHandlers = processWide('fastify-helper-handlers', () => new WeakSet<object>());

/**
 * The options to create Nest's `FastifyAdapter` with, so that the errors Fastify's router answers by
 * itself (a URL that is not correctly percent-encoded, a route parameter over `maxParamLength`) get the
 * error envelope too, written by the package's filter (same error id, header, log line) as on Express.
 * Requests Node's HTTP parser refuses (a malformed request line or header, header fields over the size
 * limit) get the envelope as well, through Fastify's `clientErrorHandler`. Your own Fastify options are
 * kept; a `frameworkErrors` or `clientErrorHandler` of yours runs only when no `ApiErrorsModule` answers
 * for the application (its `filter: false`).
 *
 * @example
 * const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(apiErrorsFastifyOptions({ bodyLimit: 65536 })));
 */
export function apiErrorsFastifyOptions<T extends object = Record<never, never>>(
  options?: T,
): Omit<T, 'frameworkErrors' | 'clientErrorHandler'> & {
  frameworkErrors: FastifyFrameworkErrorsHandler;
  clientErrorHandler: FastifyClientErrorHandler;
} {
  const own = (options as { frameworkErrors?: unknown } | undefined)?.frameworkErrors;
  const fallback = typeof own === 'function' ? (own as FastifyFrameworkErrorsHandler) : undefined;
  const frameworkErrors: FastifyFrameworkErrorsHandler = (error, request, reply) => {
    const server = (request as { server?: unknown } | null)?.server;
    const connection = typeof server === 'object' && server !== null ? connections.get(server) : undefined;
    if (connection === undefined) {
      if (fallback !== undefined) {
        fallback(error, request, reply);
      } else {
        (reply as { send(payload: unknown): void }).send(error); // what Nest's adapter does by default
      }
      return;
    }
    runSecurityHook(connection.adapter, request, reply);
    connection.catcher.catchFrameworkError(error, request, reply);
  };
  const ownClientErrors = (options as { clientErrorHandler?: unknown } | undefined)?.clientErrorHandler;
  const clientErrorHandler: FastifyClientErrorHandler = function (this: unknown, error, socket) {
    const connection = typeof this === 'object' && this !== null ? connections.get(this) : undefined;
    if (connection !== undefined) {
      connection.catcher.catchClientError(error, socket);
    } else if (typeof ownClientErrors === 'function') {
      (ownClientErrors as FastifyClientErrorHandler).call(this, error, socket);
    } else if (canAnswer(error, socket)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'); // what Node answers by itself
    } else {
      socket.destroy();
    }
  };
  helperHandlers.add(frameworkErrors);
  return { ...(options ?? ({} as T)), frameworkErrors, clientErrorHandler };
}

/**
 * Called by `ApiErrorsModule` when the application runs on Fastify: lets the handler of
 * `apiErrorsFastifyOptions()` answer through the filter, and warns, once, when the adapter was created
 * without it (Fastify's own 400/414 bodies would then reach clients).
 */
export function connectFastifyFrameworkErrors(
  adapter: HttpServer,
  catcher: FrameworkErrorCatcher,
  logger: Logger,
): void {
  const instance: unknown = adapter.getInstance();
  if (typeof instance !== 'object' || instance === null) {
    return;
  }
  const alreadyConnected = connections.has(instance);
  connections.set(instance, { adapter, catcher });
  if (alreadyConnected) {
    return;
  }
  const handler = fastifyFrameworkErrors(instance);
  if (handler === undefined || !helperHandlers.has(handler)) {
    logger.warn(FASTIFY_OPTIONS_WARNING);
  }
}

/** The start-up warning when the Fastify adapter lacks `apiErrorsFastifyOptions()`. */
export const FASTIFY_OPTIONS_WARNING =
  "Fastify answers malformed URLs and over-long route parameters with its own body, outside Nest's exception filters: " +
  "create the adapter with `new FastifyAdapter(apiErrorsFastifyOptions())` (import { apiErrorsFastifyOptions } from 'nestjs-api-errors') " +
  'so that they get the error envelope too.';

/**
 * The `frameworkErrors` option a Fastify instance was created with. Fastify keeps its options under a
 * symbol of its own (`Symbol('fastify.options')`), not in `initialConfig`, which holds no functions.
 */
function fastifyFrameworkErrors(instance: object): object | undefined {
  const key = Object.getOwnPropertySymbols(instance).find(symbol => symbol.description === 'fastify.options');
  const options = key === undefined ? undefined : (instance as Record<symbol, unknown>)[key];
  const handler = (options as { frameworkErrors?: unknown } | undefined)?.frameworkErrors;
  return typeof handler === 'function' ? handler : undefined;
}

/**
 * Nest's adapter runs the hook of `app.useSecurityHeaders()` / `app.enableCsrfProtection()` in its own
 * `frameworkErrors` handler, for the headers; this one replaces it, so it does the same. A throw is
 * ignored as Nest ignores it: the request is refused either way.
 */
function runSecurityHook(adapter: HttpServer, request: unknown, reply: unknown): void {
  const hook = (adapter as unknown as { securityHook?: unknown }).securityHook;
  if (typeof hook !== 'function') {
    return;
  }
  try {
    hook.call(adapter, request, (reply as { raw?: unknown }).raw);
  } catch {
    // See above.
  }
}
