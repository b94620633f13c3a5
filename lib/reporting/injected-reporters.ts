import type { ModuleRef } from '@nestjs/core';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorReporter } from './api-error-reporter.interface.js';
import { API_ERROR_REPORTER } from './api-error-reporter.token.js';

/**
 * Nest's exceptions have no `name` of their own ("Error"): told apart by their class's name, or by the
 * start of their message where a bundler renamed the class (the same on Nest 11 and 12).
 */
function isNestException(error: unknown, className: string, message: string): boolean {
  return error instanceof Error && (error.constructor.name === className || error.message.includes(message));
}

/** What a wrong provider was, for the message: its type or its class, never its value (it may be a secret). */
function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `an instance of ${typeof name === 'string' && name !== '' ? name : 'Object'}`;
  }
  return `a ${typeof value}`;
}

/**
 * Every instance registered under `API_ERROR_REPORTER`, in any module, in Nest's order of modules and
 * providers (`ErrorObservability.addReporters` keeps each once); none when no provider has the token.
 * Called at start-up: a provider that is request-scoped or transient, or that has no `report()` method,
 * is a configuration error.
 */
export function injectedReporters(moduleRef: ModuleRef): ApiErrorReporter[] {
  let instances: unknown[];
  try {
    instances = moduleRef.get<unknown>(API_ERROR_REPORTER, { strict: false, each: true });
  } catch (error) {
    if (isNestException(error, 'UnknownElementException', 'Nest could not find ')) {
      return [];
    }
    if (isNestException(error, 'InvalidClassScopeException', ' is marked as a scoped provider.')) {
      throw ApiErrorsConfigurationError.create(
        'a provider under API_ERROR_REPORTER is request-scoped or transient (or depends on one)',
        'Reporters are called after the request is answered, by one instance for the whole application: ' +
          'make it default (singleton) scope, with no request-scoped dependency',
      );
    }
    throw error;
  }
  const reporters: ApiErrorReporter[] = [];
  for (const instance of instances) {
    if (
      instance === null ||
      typeof instance !== 'object' ||
      typeof (instance as Partial<ApiErrorReporter>).report !== 'function'
    ) {
      throw ApiErrorsConfigurationError.create(
        `a provider under API_ERROR_REPORTER is not an object with a report() method (it is ${kindOf(instance)})`,
        'Register a class that implements ApiErrorReporter: { provide: API_ERROR_REPORTER, useClass: MyReporter }',
      );
    }
    reporters.push(instance as ApiErrorReporter);
  }
  return reporters;
}
