import type { SchemaObject } from '../envelope/error-body-schema.builder.js';

/** What is read and written of an operation's success responses. */
interface ResponseLike {
  $ref?: string;
  description?: string;
  content?: Record<string, { schema?: SchemaObject }>;
}

const SUCCESS_STATUS = { type: 'string', enum: ['success'] };
/** What every enveloped body has, whatever the handler returns. */
const ENVELOPE = { type: 'object', required: ['status'], properties: { status: SUCCESS_STATUS } };
/** Where the handler's array, number, boolean or null goes. */
const DATA_TYPES = new Set(['array', 'number', 'integer', 'boolean']);

/**
 * Documents the success answers of an operation as the success envelope sends them: a declared object
 * type gets `status: "success"` beside its fields (`allOf`), an array or a primitive goes under `data`,
 * and a route that declares no success gets its default status with the bare envelope, so that no
 * success goes undocumented. Strings are sent as text, unenveloped, and 204 answers have no body.
 */
export function documentSuccess(
  responses: Record<string, ResponseLike>,
  defaultStatus: number,
  schemas: Record<string, unknown>,
): void {
  let statuses = Object.keys(responses).filter(status => /^2(\d\d|XX)$/.test(status));
  if (statuses.length === 0) {
    responses[String(defaultStatus)] = { description: 'Success.' };
    statuses = [String(defaultStatus)];
  }
  for (const status of statuses) {
    const response = responses[status] as ResponseLike;
    if (response.$ref !== undefined) {
      continue;
    }
    if (status === '204') {
      delete response.content;
      continue;
    }
    const json = response.content?.['application/json'];
    if (json?.schema !== undefined) {
      json.schema = enveloped(json.schema, schemas);
    } else if (response.content === undefined || json !== undefined) {
      // nothing declared: the handler's fields are unknown, the envelope's status is not
      response.content = {
        ...response.content,
        'application/json': { schema: { ...ENVELOPE, additionalProperties: true } },
      };
    }
  }
}

/** The schema of a declared success body, inside the envelope. */
export function enveloped(schema: SchemaObject, schemas: Record<string, unknown>): SchemaObject {
  const type = typeOf(schema, schemas);
  if (type === 'string') {
    return schema;
  }
  if (type !== undefined && DATA_TYPES.has(type)) {
    return { type: 'object', required: ['status', 'data'], properties: { status: SUCCESS_STATUS, data: schema } };
  }
  return { allOf: [schema, ENVELOPE] };
}

function typeOf(schema: SchemaObject, schemas: Record<string, unknown>): string | undefined {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const target = schemas[ref.slice('#/components/schemas/'.length)];
    return typeof target === 'object' && target !== null ? typeOf(target as SchemaObject, {}) : undefined;
  }
  return typeof schema.type === 'string' ? schema.type : undefined;
}
