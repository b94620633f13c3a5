import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { apiExceptionClass, type ApiExceptionClass } from '../exceptions/api-exception-class.js';
import type { ApiErrorMessagesInput } from '../exceptions/api-error-messages.js';
import { ApiException, type ApiExceptionOptions } from '../exceptions/api.exception.js';
import { brandClass, isInstanceInAnyCopy } from '../exceptions/same-class-in-every-copy.js';
import { BUILT_IN_ERRORS } from './api-error-catalogue.js';
import type { ApiErrorEntry } from './api-error-definition.interface.js';
import type { ApiErrorBody, CatalogueTable } from '../envelope/api-error-body.interface.js';
import type { ApiErrorFieldSpecs } from './api-error-field.js';
import { API_ERROR_CODE_FORMAT } from './code-format.js';
import { fieldSpecProblem } from './field-spec-checks.js';

/** How an application describes one of its own codes. */
export interface AppErrorDefinition {
  /** HTTP status, 400–599. */
  status: number;
  /** Default message. */
  message: string;
  /** Name of the exception class; by default derived from the code (`billing.card.declined` → `BillingCardDeclinedException`). */
  exception?: string;
  /**
   * Extra body fields the code carries, e.g. `{ retry_at: { type: 'string', required: true, … } }`:
   * the OpenAPI document and `ApiErrorBodyOf<typeof yourErrors>` know them. @default none
   */
  fields?: ApiErrorFieldSpecs;
}

/**
 * The codes an application adds to the contract, with typed exceptions for each. `T` is the table it
 * was defined with, for the body types (`ApiErrorBodyOf`).
 */
export class ApiErrorCatalogue<C extends string = string, T extends CatalogueTable = Record<C, AppErrorDefinition>> {
  /** The table this catalogue was defined with: a type only, no value at run time. */
  declare readonly table?: T;
  readonly #entries: ReadonlyMap<C, ApiErrorEntry & { readonly code: C }>;
  readonly #classes = new Map<C, ApiExceptionClass<C>>();

  /**
   * True for the catalogues of another copy of the package too (its CommonJS or ES module build), so that
   * `forRoot({ catalogues })` of one copy takes a catalogue defined with the other.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceInAnyCopy(this, value);
  }

  constructor(entries: ReadonlyMap<C, ApiErrorEntry & { readonly code: C }>) {
    this.#entries = entries;
  }

  /** The entries of this catalogue. */
  entries(): IterableIterator<ApiErrorEntry & { readonly code: C }> {
    return this.#entries.values();
  }

  /** The entry of one code. */
  get<K extends C>(code: K): ApiErrorEntry & { readonly code: K } {
    return this.#entries.get(code) as ApiErrorEntry & { readonly code: K };
  }

  /**
   * The exception class of one code, to extend or throw as it is.
   *
   * @example
   * export class CardDeclinedException extends billingErrors.exception('billing.card.declined') {}
   */
  exception<K extends C>(code: K): ApiExceptionClass<K> {
    let cls = this.#classes.get(code);
    if (cls === undefined) {
      cls = apiExceptionClass(this.get(code));
      this.#classes.set(code, cls);
    }
    return cls as unknown as ApiExceptionClass<K>;
  }

  /** An exception of one code, for the places where a class of its own is not worth it. */
  create(code: C, messages?: ApiErrorMessagesInput, options?: ApiExceptionOptions): ApiException {
    return new ApiException(this.get(code), messages, options);
  }
}

brandClass(ApiErrorCatalogue, 'ApiErrorCatalogue');

/**
 * Defines an application's own error codes. Register the result with
 * `ApiErrorsModule.forRoot({ catalogues: [...] })` so that the filter, the schema and the OpenAPI
 * helpers know the codes; a code defined twice fails at start-up.
 *
 * @example
 * export const billingErrors = defineApiErrors({
 *   'billing.card.declined': { status: 402, message: 'The card was declined.' },
 * });
 * export class CardDeclinedException extends billingErrors.exception('billing.card.declined') {}
 */
export function defineApiErrors<const T extends Record<string, AppErrorDefinition>>(
  table: T,
): ApiErrorCatalogue<Extract<keyof T, string>, T> {
  type C = Extract<keyof T, string>;
  const entries = new Map<C, ApiErrorEntry & { readonly code: C }>();
  for (const [code, definition] of Object.entries(table) as [C, AppErrorDefinition][]) {
    entries.set(code, Object.freeze(checkDefinition(code, definition)));
  }
  return new ApiErrorCatalogue(entries);
}

function checkDefinition<C extends string>(code: C, definition: AppErrorDefinition): ApiErrorEntry & { code: C } {
  const fail = (what: string, fix: string): never => {
    throw ApiErrorsConfigurationError.create(`the error code "${code}" ${what}`, fix);
  };
  if (!API_ERROR_CODE_FORMAT.test(code)) {
    fail(
      'is not a dotted lower-case code',
      'Use two or more dot-separated parts of a-z, 0-9 and _, e.g. billing.card.declined',
    );
  }
  if (BUILT_IN_ERRORS.has(code)) {
    fail(
      'is defined twice: the built-in catalogue has it already',
      'Throw the built-in exception, or give your code another name',
    );
  }
  if (!Number.isInteger(definition?.status) || definition.status < 400 || definition.status > 599) {
    fail(`has the status ${String(definition?.status)}`, 'Give an HTTP error status from 400 to 599');
  }
  if (typeof definition.message !== 'string' || definition.message.trim() === '') {
    fail('has no default message', 'Give a message that says what went wrong, as the client should read it');
  }
  const exception = definition.exception ?? defaultClassName(code);
  if (!/^[A-Za-z_$][\w$]*$/.test(exception)) {
    fail(`has the class name "${exception}"`, 'Give a valid JavaScript identifier');
  }
  const problem = definition.fields === undefined ? undefined : fieldSpecProblem(code, definition.fields);
  if (problem !== undefined) {
    fail(...problem);
  }
  const fields = definition.fields === undefined ? {} : { fields: definition.fields };
  return { code, status: definition.status, message: definition.message, exception, origin: 'app', ...fields };
}

/**
 * The error body of an application's codes, each with the fields it declares.
 *
 * @example
 * const body = (await response.json()) as ApiErrorBodyOf<typeof billingErrors>;
 */
export type ApiErrorBodyOf<K> = K extends ApiErrorCatalogue<infer C, infer T> ? ApiErrorBody<C, T> : never;

function defaultClassName(code: string): string {
  const words = code.split(/[._]/).map(word => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Exception`;
}
