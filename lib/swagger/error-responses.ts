import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import type { ApiErrorFieldSpec } from '../catalogue/api-error-field.js';
import { exampleFields } from '../envelope/declared-fields.js';
import type { SchemaObject } from '../envelope/error-body-schema.builder.js';

/**
 * Codes whose answer is the same on every route that can give it: described once under
 * `components.responses` (named by the code) and referenced. 500 is on every operation, 413 and 415 on
 * those with a request body; a route-not-found answer belongs to no operation but is described too.
 */
export const SHARED_ERROR_CODES = [
  'request.route.notfound',
  'request.body.toolarge',
  'request.mediatype.unsupported',
  'server.internal.error',
] as const;

/** The shared codes every operation with a request body can answer with. */
export const BODY_ERROR_CODES: readonly string[] = ['request.body.toolarge', 'request.mediatype.unsupported'];

/** An OpenAPI response object for one status of error codes. */
export interface ErrorResponseObject {
  description: string;
  headers: Record<string, unknown>;
  content: {
    'application/json': { schema: SchemaObject; examples: Record<string, { summary: string; value: object }> };
  };
}

const EXAMPLE_ERROR_ID = '3f1c9c3e-5a0b-4a53-9a53-3b1a8e0f2d11';
const MESSAGE_LIST = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };
/** The schema of `messages`, inline unless the document has it as a component. */
export const MESSAGES_SCHEMA: SchemaObject = {
  description: 'Messages: a list, or lists keyed by the request field they are about.',
  oneOf: [MESSAGE_LIST, { type: 'object', minProperties: 1, additionalProperties: MESSAGE_LIST }],
};
const ERROR_ID_HEADER = {
  description: 'The error_id of the body.',
  required: true,
  schema: { type: 'string' },
};

/** The entries grouped by status, in the order of the statuses, each group in the order given. */
export function byStatus(entries: readonly ApiErrorEntry[]): Map<number, ApiErrorEntry[]> {
  const groups = new Map<number, ApiErrorEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.status - b.status)) {
    groups.set(entry.status, [...(groups.get(entry.status) ?? []), entry]);
  }
  return groups;
}

/**
 * The response of codes of one status: their messages, an example body each, the `X-Error-Id` header,
 * and a schema whose `error_code` is an enum of exactly these codes. Codes that carry the same extra
 * fields share one object; when the fields differ, each set of fields is one branch of a `oneOf`, so a
 * generated client narrows both the code and the fields.
 */
export function errorResponse(
  entries: readonly ApiErrorEntry[],
  messages: SchemaObject = MESSAGES_SCHEMA,
): ErrorResponseObject {
  const groups = new Map<string, ApiErrorEntry[]>();
  for (const entry of entries) {
    const key = JSON.stringify(Object.entries(entry.fields ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const branches = [...groups.values()].map(group => bodySchema(group, messages));
  return {
    description: entries.map(entry => `- \`${entry.code}\`: ${entry.message}`).join('\n'),
    headers: { 'X-Error-Id': ERROR_ID_HEADER },
    content: {
      'application/json': {
        schema: branches.length === 1 ? (branches[0] as SchemaObject) : { oneOf: branches },
        examples: Object.fromEntries(
          entries.map(entry => [
            entry.code,
            {
              summary: entry.code,
              value: {
                status: 'error',
                error_code: entry.code,
                error_id: EXAMPLE_ERROR_ID,
                messages: [entry.message],
                ...exampleFields(entry.fields),
              },
            },
          ]),
        ),
      },
    },
  };
}

/** The body of codes that carry the same fields (the first entry's declarations stand for all). */
function bodySchema(entries: readonly ApiErrorEntry[], messages: SchemaObject): SchemaObject {
  const fields = Object.entries((entries[0] as ApiErrorEntry).fields ?? {});
  return {
    type: 'object',
    required: [
      'status',
      'error_code',
      'error_id',
      'messages',
      ...fields.filter(([, spec]) => spec.required === true).map(([name]) => name),
    ],
    properties: {
      status: { type: 'string', enum: ['error'] },
      error_code: { type: 'string', enum: entries.map(entry => entry.code) },
      error_id: { type: 'string', minLength: 1, description: 'Unique id of this error response.' },
      messages,
      ...Object.fromEntries(fields.map(([name, spec]) => [name, fieldSchema(spec)])),
    },
  };
}

function fieldSchema(spec: ApiErrorFieldSpec): SchemaObject {
  return {
    type: spec.type,
    description: spec.description,
    ...(spec.type === 'string' && spec.enum !== undefined ? { enum: [...spec.enum] } : {}),
    ...(spec.type !== 'string' && spec.type !== 'boolean' && spec.minimum !== undefined
      ? { minimum: spec.minimum }
      : {}),
    example: spec.example,
  };
}
