import { ApiException } from '../exceptions/api.exception.js';
import { ServerUnavailableException } from '../exceptions/extension.exceptions.js';

/**
 * Runs a collaborator (a key lookup, a token verifier, a store): what it throws as an `ApiException`
 * passes; anything else means the dependency could not answer, and the guard fails closed with 503
 * `server.unavailable` (the original error is logged as the cause, never sent).
 */
export async function callDependency<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiException) {
      throw error;
    }
    throw new ServerUnavailableException(undefined, { cause: error });
  }
}
