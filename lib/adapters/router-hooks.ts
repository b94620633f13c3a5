import type { HttpServer } from '@nestjs/common';
import { resolveFrameworkError } from '../filter/framework-errors.js';
import { processWide } from '../process-wide.js';
import { methodNotAllowedFor } from './method-not-allowed.js';
import type { FrameworkErrorCatcher } from './fastify.js';

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/** Adapters whose handlers are wrapped already (an application starts its modules once, a test many; both builds of the package share it). */
const wrapped = processWide('wrapped-adapters', () => new WeakSet<object>());

/** The request whose not-found handler is running: set for the synchronous part of its answer only. */
let answeringNotFound: unknown;

/**
 * Whether `request` is being answered by Nest's not-found handler right now, which tells the router's
 * `NotFoundException` from one thrown by application code without rebuilding its message (on Express,
 * reading the request's method and URL again was a measurable part of a 404).
 */
export function isAnsweringNotFound(request: unknown): boolean {
  return request !== undefined && request === answeringNotFound;
}

/**
 * Wraps the two handlers Nest gives the HTTP adapter once every module's `onModuleInit` has run (so
 * this is called from there): the not-found handler and the error handler of the framework.
 *
 * - **Not found.** Nest answers a request no route matches by throwing `NotFoundException("Cannot GET
 *   /x")`. Its stack is always the same frames of Nest's router and no 4xx is logged with one, yet
 *   capturing it was a sixth of the server's work for a 404 on Fastify: the handler runs with
 *   `Error.stackTraceLimit` at 0 for its synchronous part (the throw and the filters that answer it).
 *   Filters see the same exception, class, message and status, without stack frames.
 * - **Framework errors.** What the body parsers and the router throw (malformed JSON, a body over the
 *   limit, a path that cannot be decoded) reaches Nest's error handler raw. Nest 12 wraps it in an
 *   `HttpException` whose `cause` is the original; Nest 11 wraps some as `new BadRequestException(err.message)`
 *   without a cause, where the parser's message quotes the client's body. Both reach the filter here,
 *   with the original error, before Nest wraps it: the answer is the same on both majors and never
 *   repeats the body. Any other error goes on to Nest's handler as before.
 *
 * With `methodNotAllowed`, the not-found handler first answers 405 for a path that routes serve with other
 * methods (see `methodNotAllowedFor`).
 */
export function wrapRouterHooks(
  adapter: HttpServer,
  catcher: FrameworkErrorCatcher,
  { methodNotAllowed }: { methodNotAllowed: boolean },
): void {
  if (wrapped.has(adapter)) {
    return;
  }
  wrapped.add(adapter);
  wrapMethod(adapter, 'setNotFoundHandler', handler => notFoundHandler(handler, adapter, catcher, methodNotAllowed));
  wrapMethod(
    adapter,
    'setErrorHandler',
    handler =>
      // Four parameters: Express tells an error middleware by its arity.
      function (this: unknown, error: unknown, request: unknown, response: unknown, next: unknown) {
        if (resolveFrameworkError(error) !== undefined) {
          catcher.catchFrameworkError(error, request, response);
          return undefined;
        }
        return handler.call(this, error, request, response, next);
      },
  );
}

/** Makes `adapter[name](handler, …)` register `wrap(handler)` instead. */
function wrapMethod(
  adapter: HttpServer,
  name: 'setNotFoundHandler' | 'setErrorHandler',
  wrap: (handler: Handler) => Handler,
): void {
  const target = adapter as unknown as Record<string, Handler | undefined>;
  const original = target[name];
  if (typeof original !== 'function') {
    return;
  }
  target[name] = function (this: unknown, handler: unknown, ...rest: unknown[]) {
    return original.call(this, typeof handler === 'function' ? wrap(handler as Handler) : handler, ...rest);
  };
}

/**
 * Nest's not-found handler, run without stack capture and with its request marked (see above); a path that
 * routes serve with other methods is answered 405 instead, with the `methodNotAllowed` option.
 */
function notFoundHandler(
  handler: Handler,
  adapter: HttpServer,
  catcher: FrameworkErrorCatcher,
  methodNotAllowed: boolean,
): Handler {
  return function (this: unknown, ...args: unknown[]) {
    const notAllowed = methodNotAllowed ? methodNotAllowedFor(adapter, args[0]) : undefined;
    if (notAllowed !== undefined) {
      catcher.catchFrameworkError(notAllowed, args[0], args[1]);
      return undefined;
    }
    const limit = Error.stackTraceLimit;
    const outer = answeringNotFound;
    Error.stackTraceLimit = 0;
    answeringNotFound = args[0];
    try {
      return handler.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
      answeringNotFound = outer;
    }
  };
}
