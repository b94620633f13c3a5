import type { ApiErrorFieldSpec } from '../catalogue/api-error-field.js';
import { API_ERROR_CODE_PATTERN } from '../catalogue/code-format.js';
import { declaredFields, ENVELOPE_FIELDS, OPTIONAL_ENVELOPE_FIELDS, type FieldsOfCode } from './declared-fields.js';

/** A schema object, as JSON Schema validators and OpenAPI documents take it. */
export interface SchemaObject {
  [keyword: string]: unknown;
}

/**
 * `json-schema`: draft-07. `openapi-3.0`: the subset OpenAPI 3.0 allows (no `if`, no `dependencies`,
 * no `const`, `example` for examples), with the same meaning.
 */
export type SchemaDialect = 'json-schema' | 'openapi-3.0';

const MESSAGE_LIST = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };

/**
 * The error body's schema for a set of catalogue entries: the envelope's four fields, every declared
 * field with its type, and two rules: a declared field travels only with the codes that declare it
 * (`dependencies`), and a code's required fields are there (`if`/`then`). Other fields stay open.
 * OpenAPI 3.0 has neither keyword: there, each rule is an `anyOf` ("not this, or that").
 */
export function buildErrorBodySchema(entries: Iterable<FieldsOfCode>, dialect: SchemaDialect): SchemaObject {
  const list = [...entries];
  const fields = declaredFields(list);
  const properties: SchemaObject = {
    status: { type: 'string', enum: ['error'] },
    error_code: {
      type: 'string',
      pattern: API_ERROR_CODE_PATTERN,
      description: 'A dotted code of the catalogue, e.g. auth.apikey.missing.',
    },
    error_id: {
      type: 'string',
      minLength: 1,
      description: 'Unique id of this error response, also in the X-Error-Id header and the server log.',
    },
    messages: {
      description: 'Messages: a list, or lists keyed by the request field they are about.',
      oneOf: [MESSAGE_LIST, { type: 'object', minProperties: 1, additionalProperties: MESSAGE_LIST }],
    },
  };
  for (const [name, spec] of Object.entries(OPTIONAL_ENVELOPE_FIELDS)) {
    properties[name] = { ...fieldSchema(spec, [], dialect), description: `May be absent: ${spec.description}` };
  }
  const dependencies: SchemaObject = {};
  const rules: SchemaObject[] = [];
  for (const [name, { spec, codes }] of fields) {
    properties[name] = fieldSchema(spec, codes, dialect);
    // a declared field travels only with the codes that declare it
    if (dialect === 'json-schema') {
      dependencies[name] = codeIn(codes);
    } else {
      rules.push({ anyOf: [{ not: { required: [name] } }, codeIn(codes)] });
    }
  }
  for (const entry of list) {
    // a code's required fields are there
    const required = Object.entries(entry.fields ?? {}).filter(([, spec]) => spec.required === true);
    if (required.length > 0) {
      const names = required.map(([name]) => name);
      rules.push(
        dialect === 'json-schema'
          ? {
              if: codeIn([entry.code]),
              then: { properties: pick(properties, names), required: names },
            }
          : { anyOf: [{ not: codeIn([entry.code]) }, { required: names }] },
      );
    }
  }
  return {
    type: 'object',
    description: 'The body of every error response.',
    required: [...ENVELOPE_FIELDS],
    properties,
    additionalProperties: true,
    ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
    ...(rules.length > 0 ? { allOf: rules } : {}),
  };
}

function fieldSchema(spec: ApiErrorFieldSpec, codes: readonly string[], dialect: SchemaDialect): SchemaObject {
  const schema: SchemaObject = {
    type: spec.type,
    description: `With ${codes.join(', ')}${spec.required === true ? '' : ' (may be absent)'}: ${spec.description}`,
  };
  if (spec.type === 'string' && spec.enum !== undefined) {
    schema.enum = [...spec.enum];
  }
  if (spec.type !== 'string' && spec.type !== 'boolean' && spec.minimum !== undefined) {
    schema.minimum = spec.minimum;
  }
  if (dialect === 'openapi-3.0') {
    schema.example = spec.example;
  } else {
    schema.examples = [spec.example];
  }
  return schema;
}

function codeIn(codes: readonly string[]): SchemaObject {
  return { properties: { error_code: { enum: [...codes] } } };
}

function pick(properties: SchemaObject, names: readonly string[]): SchemaObject {
  return Object.fromEntries(names.map(name => [name, properties[name]]));
}
