import type { HttpServer } from '@nestjs/common';

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/** Adapters whose not-found handler is wrapped already (an application starts its modules once, a test many). */
const wrapped = new WeakSet<object>();

/**
 * Nest answers a request that no route matches by throwing `NotFoundException("Cannot GET /x")` from
 * the not-found handler it gives the adapter, and the exception filters answer it. The exception's
 * stack is captured and never used: it is always the same frames of Nest's router, and no 4xx is
 * logged with a stack. On Fastify capturing it is about a sixth of the server's work for the whole
 * 404. This makes the adapter run the handler Nest registers with `Error.stackTraceLimit` at 0, for
 * the synchronous part of the answer only (the throw and the filters that answer it): the filters see
 * the same exception, with its message, class and status, but no stack frames.
 *
 * Called before Nest registers the handler (from `onModuleInit`; Nest registers it after every
 * module's `onModuleInit`).
 */
export function withStacklessNotFound(adapter: HttpServer): void {
  const target = adapter as unknown as { setNotFoundHandler?: Handler };
  const setNotFoundHandler = target.setNotFoundHandler;
  if (typeof setNotFoundHandler !== 'function' || wrapped.has(adapter)) {
    return;
  }
  wrapped.add(adapter);
  target.setNotFoundHandler = function (this: unknown, handler: unknown, ...rest: unknown[]) {
    return setNotFoundHandler.call(
      this,
      typeof handler === 'function' ? stackless(handler as Handler) : handler,
      ...rest,
    );
  };
}

function stackless(handler: Handler): Handler {
  return function (this: unknown, ...args: unknown[]) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return handler.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}
