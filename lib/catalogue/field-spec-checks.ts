import { declaredFields, ENVELOPE_FIELDS, fieldValueMatches } from '../envelope/declared-fields.js';
import type { ApiErrorFieldSpec, ApiErrorFieldSpecs } from './api-error-field.js';
import { BUILT_IN_ERRORS } from './api-error-catalogue.js';

const OWNED: ReadonlySet<string> = new Set(ENVELOPE_FIELDS);
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * Checks the `fields` an application declares for one of its codes. Returns what is wrong and how to
 * fix it for the first problem, or `undefined`; a field the built-in catalogue declares otherwise
 * throws, naming both codes.
 */
export function fieldSpecProblem(code: string, fields: ApiErrorFieldSpecs): [string, string] | undefined {
  for (const [name, spec] of Object.entries(fields)) {
    const problem = specProblem(name, spec as ApiErrorFieldSpec | undefined);
    if (problem !== undefined) {
      return [`declares the body field "${name}", which ${problem[0]}`, problem[1]];
    }
  }
  declaredFields([...BUILT_IN_ERRORS.values(), { code, fields }]);
  return undefined;
}

function specProblem(name: string, spec: ApiErrorFieldSpec | undefined): [string, string] | undefined {
  if (!FIELD_NAME.test(name) || OWNED.has(name)) {
    return [
      OWNED.has(name) ? 'the envelope owns' : 'is not a snake_case name',
      'Name extra fields in snake_case, other than status, error_code, error_id and messages',
    ];
  }
  if (spec === null || typeof spec !== 'object' || !TYPES.has(spec.type)) {
    return ['has no known type', "Give type: 'string', 'integer', 'number' or 'boolean'"];
  }
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    return ['has no description', 'Say what the field tells the client'];
  }
  if (!fieldValueMatches(spec, spec.example)) {
    return ['has an example its own type or range refuses', 'Give an example value the declaration accepts'];
  }
  return undefined;
}
