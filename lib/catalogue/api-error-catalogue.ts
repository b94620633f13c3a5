import type { ApiErrorDefinition, ApiErrorEntry } from './api-error-definition.interface.js';
import { CONTRACT_401_ERRORS } from './contract-401-errors.js';
import { CONTRACT_403_TO_422_ERRORS } from './contract-403-422-errors.js';
import { EXTENSION_ERRORS } from './extension-errors.js';

/**
 * The error contract: every code the package answers with, its HTTP status, its default message and
 * the exception class that throws it. The `seed` entries are the published contract, worded as it is;
 * the `extension` entries name framework and infrastructure errors the contract leaves open.
 *
 * This table is the single source of truth: the exception classes, the filter, the body's TypeScript
 * type, its JSON Schema, `isApiErrorBody` and the OpenAPI helpers are all derived from it. A code's
 * `fields` declare the extra body fields it carries (see `ApiErrorFieldSpec`).
 */
export const API_ERROR_CATALOGUE = {
  ...CONTRACT_401_ERRORS,
  ...CONTRACT_403_TO_422_ERRORS,
  ...EXTENSION_ERRORS,
} as const satisfies Record<string, ApiErrorDefinition>;

/** Every code of the built-in catalogue: the contract's codes and the extensions. */
export type ApiErrorCode = keyof typeof API_ERROR_CATALOGUE;

/** The codes the published contract names (the seed). */
export type SeedApiErrorCode = {
  [C in ApiErrorCode]: (typeof API_ERROR_CATALOGUE)[C]['origin'] extends 'seed' ? C : never;
}[ApiErrorCode];

/** The built-in catalogue as entries (code included), built once. */
export const BUILT_IN_ERRORS: ReadonlyMap<string, ApiErrorEntry> = new Map(
  Object.entries(API_ERROR_CATALOGUE).map(([code, definition]) => [code, Object.freeze({ code, ...definition })]),
);

/** The entry of a built-in code. */
export function builtInError<C extends ApiErrorCode>(code: C): ApiErrorEntry & { readonly code: C } {
  return BUILT_IN_ERRORS.get(code) as ApiErrorEntry & { readonly code: C };
}
