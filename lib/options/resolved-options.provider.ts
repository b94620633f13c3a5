import type { Provider } from '@nestjs/common';
import { API_ERRORS_MODULE_OPTIONS } from '../api-errors.module-definition.js';
import { resolveApiErrorsOptions } from './resolve-options.js';

export type { ResolvedApiErrorsOptions } from './resolve-options.js';

/** Injection token of the checked options, every default applied (internal: apps inject API_ERRORS_MODULE_OPTIONS). */
export const RESOLVED_OPTIONS = Symbol.for('nestjs-api-errors.resolved-options');

/** Checks the options once, when the module starts: a wrong value stops the start-up, naming the option. */
export const resolvedOptionsProvider: Provider = {
  provide: RESOLVED_OPTIONS,
  inject: [API_ERRORS_MODULE_OPTIONS],
  useFactory: resolveApiErrorsOptions,
};
