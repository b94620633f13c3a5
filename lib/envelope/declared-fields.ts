import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorFieldSpec, ApiErrorFieldSpecs } from '../catalogue/api-error-field.js';

/** The envelope's own fields, in every body: no code may declare them, no exception may set them. */
export const ENVELOPE_FIELDS = ['status', 'error_code', 'error_id', 'messages'] as const;

/**
 * Fields the envelope may carry with every code, set by the module's options rather than by a code:
 * `doc_url` with the `docUrl` option. Declared as a code's fields are, so that the JSON Schema, the
 * OpenAPI schema, `isApiErrorBody` and the TypeScript type derive them the same way; no code may
 * declare them.
 */
export const OPTIONAL_ENVELOPE_FIELDS = {
  doc_url: {
    type: 'string',
    description: 'The page that documents this error code, when the API publishes one (the docUrl option).',
    example: 'https://api.example.com/errors/auth.apikey.missing',
  },
} as const satisfies ApiErrorFieldSpecs;

const OWNED_BY_ENVELOPE: ReadonlySet<string> = new Set([...ENVELOPE_FIELDS, ...Object.keys(OPTIONAL_ENVELOPE_FIELDS)]);

/** What the schemas and `isApiErrorBody` need of a catalogue entry. */
export interface FieldsOfCode {
  readonly code: string;
  readonly fields?: ApiErrorFieldSpecs;
}

/** One declared field name: its declaration and the codes that carry it. */
export interface DeclaredField {
  readonly spec: ApiErrorFieldSpec;
  readonly codes: string[];
}

/**
 * Every field name the entries declare, with the codes that declare it. A name means one thing
 * across a contract: two codes declaring it differently stop here with a message that names them.
 */
export function declaredFields(entries: Iterable<FieldsOfCode>): Map<string, DeclaredField> {
  const byName = new Map<string, DeclaredField>();
  for (const entry of entries) {
    for (const [name, spec] of Object.entries(entry.fields ?? {})) {
      const known = byName.get(name);
      if (OWNED_BY_ENVELOPE.has(name)) {
        throw ApiErrorsConfigurationError.create(
          `the body field "${name}" of "${entry.code}" is one the envelope owns`,
          `Give the field another name: ${[...OWNED_BY_ENVELOPE].join(', ')} belong to the envelope`,
        );
      } else if (known === undefined) {
        byName.set(name, { spec, codes: [entry.code] });
      } else if (sameValueRule(known.spec, spec)) {
        known.codes.push(entry.code);
      } else {
        throw ApiErrorsConfigurationError.create(
          `the body field "${name}" of "${entry.code}" is declared otherwise by "${known.codes[0]}"`,
          'Declare a field name with one type and range across the catalogues, or give the field another name',
        );
      }
    }
  }
  return byName;
}

/** Whether a value is one a declaration allows. */
export function fieldValueMatches(spec: ApiErrorFieldSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' && (spec.enum === undefined || spec.enum.includes(value));
    case 'integer':
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.type === 'number' || Number.isInteger(value)) &&
        (spec.minimum === undefined || value >= spec.minimum)
      );
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/** The field's example values as a body carries them. */
export function exampleFields(fields: ApiErrorFieldSpecs | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([name, spec]) => [name, spec.example]));
}

function sameValueRule(a: ApiErrorFieldSpec, b: ApiErrorFieldSpec): boolean {
  const rule = (spec: ApiErrorFieldSpec): string =>
    JSON.stringify([spec.type, 'enum' in spec ? spec.enum : null, 'minimum' in spec ? spec.minimum : null]);
  return rule(a) === rule(b);
}
