import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import type { ApiErrorMessagesInput } from './api-error-messages.js';
import { ApiException, type ApiExceptionOptions } from './api.exception.js';
import { brandBuiltInCodeClass } from './same-class-in-every-copy.js';

/** The class of one code: built with no arguments it sends the code's default message. */
export interface ApiExceptionClass<C extends string = string> {
  new (messages?: ApiErrorMessagesInput, options?: ApiExceptionOptions): ApiException & { readonly code: C };
  /** The code this class throws. */
  readonly code: C;
}

/**
 * Makes the exception class of one catalogue entry. The built-in per-code classes and
 * `defineApiErrors().exception(code)` both come from here.
 */
export function apiExceptionClass<C extends string>(entry: ApiErrorEntry & { readonly code: C }): ApiExceptionClass<C> {
  const named = {
    [entry.exception]: class extends ApiException {
      static readonly code: C = entry.code;
      declare readonly code: C;
      constructor(messages?: ApiErrorMessagesInput, options?: ApiExceptionOptions) {
        super(entry, messages, options);
      }
    },
  };
  const made = named[entry.exception] as ApiExceptionClass<C>;
  // An application's codes have no brand: its classes are made once, by the copy it defined them with.
  if (entry.origin !== 'app') {
    brandBuiltInCodeClass(made, entry.code);
  }
  return made;
}
