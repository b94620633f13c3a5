import { ApiException } from '../exceptions/api.exception.js';
import { ServerUnavailableException } from '../exceptions/extension.exceptions.js';

export function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** What a collaborator threw, as the guards answer it: its own `ApiException`, or 503. */
function asDependencyFailure(error: unknown): unknown {
  return error instanceof ApiException ? error : new ServerUnavailableException(undefined, { cause: error });
}

/**
 * Runs a collaborator (a key lookup, a token verifier, a store): what it throws as an `ApiException`
 * passes; anything else means the dependency could not answer, and the guard fails closed with 503
 * `server.unavailable` (the original error is logged as the cause, never sent). A collaborator that
 * answers synchronously gets a synchronous answer: no promise is made for the common, cached case.
 */
export function callDependency<T>(call: () => T | Promise<T>): T | Promise<T> {
  let result: T | Promise<T>;
  try {
    result = call();
  } catch (error) {
    throw asDependencyFailure(error);
  }
  return isPromiseLike(result)
    ? result.then(undefined, (error: unknown) => {
        throw asDependencyFailure(error);
      })
    : result;
}

/** `next(value)`, now when `value` is there already, later when it is a promise. */
export function whenDone<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}
