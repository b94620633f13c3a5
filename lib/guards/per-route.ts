import type { ExecutionContext } from '@nestjs/common';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own type for handlers and classes
type Target = Function;

/**
 * A value worked out once per route from its metadata (controller and handler: a handler inherited by
 * two controllers is two routes), then kept for every later request. Guards run on every request.
 */
export class PerRoute<T> {
  readonly #byController = new WeakMap<Target, WeakMap<Target, T>>();

  get(context: ExecutionContext, compute: (handler: Target, controller: Target) => T): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.#byController.get(controller);
    if (byHandler === undefined) {
      byHandler = new WeakMap();
      this.#byController.set(controller, byHandler);
    }
    let value = byHandler.get(handler);
    if (value === undefined) {
      value = compute(handler, controller);
      byHandler.set(handler, value);
    }
    return value;
  }
}
