import type { ApiErrorDefinition } from '../lib/catalogue/api-error-definition.interface.js';

export const MORE: Readonly<Record<string, string>>;
export const THROW_ARGUMENTS: Readonly<Record<string, readonly (string | number)[]>>;
export function prose(text: string): string;
export function anchorOf(code: string): string;
export function exampleBody(code: string, definition: ApiErrorDefinition): Record<string, unknown>;
export function renderCodesPage(
  catalogue: Readonly<Record<string, ApiErrorDefinition>>,
  clientActions: Readonly<Record<string, string>>,
): string;
