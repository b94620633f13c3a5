import type { ApiErrorDefinition } from '../lib/catalogue/api-error-definition.interface.js';

export const MORE: Readonly<Record<string, string>>;
export const THROW_ARGUMENTS: Readonly<Record<string, readonly (string | number)[]>>;
export function prose(text: string): string;
export function anchorOf(code: string): string;
export function exampleBody(code: string, definition: ApiErrorDefinition): Record<string, unknown>;
export interface SampleRoutes {
  /** How many operations the document has. */
  routeCount: number;
  /** Code → the `METHOD /path` of the operations whose error responses list it. */
  byCode: Map<string, string[]>;
}
export function sampleRoutesByCode(document: object): SampleRoutes;
export function renderCodesPage(
  catalogue: Readonly<Record<string, ApiErrorDefinition>>,
  clientActions: Readonly<Record<string, string>>,
  sampleDocument: object,
): string;
