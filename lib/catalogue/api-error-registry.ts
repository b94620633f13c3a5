import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { declaredFields } from '../envelope/declared-fields.js';
import { BUILT_IN_ERRORS } from './api-error-catalogue.js';
import type { ApiErrorEntry } from './api-error-definition.interface.js';
import type { ApiErrorCatalogue } from './define-api-errors.js';

/**
 * Every code an application speaks: the built-in catalogue and the catalogues it registered. Built
 * once at start-up; a code defined twice stops the start-up with a message that names it.
 */
export class ApiErrorRegistry {
  readonly #entries = new Map<string, ApiErrorEntry>(BUILT_IN_ERRORS);

  constructor(catalogues: readonly ApiErrorCatalogue[] = []) {
    const origins = new Map<string, number>();
    catalogues.forEach((catalogue, index) => {
      for (const entry of catalogue.entries()) {
        const first = origins.get(entry.code);
        if (this.#entries.has(entry.code)) {
          throw ApiErrorsConfigurationError.create(
            `the error code "${entry.code}" is defined twice: in catalogues[${index}] and ${
              first === undefined ? 'the built-in catalogue' : `catalogues[${first}]`
            }`,
            'Keep one definition per code; pass each catalogue once in the catalogues option',
          );
        }
        origins.set(entry.code, index);
        this.#entries.set(entry.code, entry);
      }
    });
    // a body field declared otherwise by two catalogues stops the start-up too, naming both codes
    declaredFields(this.#entries.values());
  }

  /** The entry of a code, or `undefined` for a code nobody defined. */
  get(code: string): ApiErrorEntry | undefined {
    return this.#entries.get(code);
  }

  /** Every entry, built-in ones first. */
  entries(): IterableIterator<ApiErrorEntry> {
    return this.#entries.values();
  }
}
