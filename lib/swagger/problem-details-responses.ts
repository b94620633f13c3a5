import type { INestApplicationContext } from '@nestjs/common';
import { API_ERRORS_MODULE_OPTIONS } from '../api-errors.module-definition.js';
import type { SchemaObject } from '../envelope/error-body-schema.builder.js';
import { PROBLEM_JSON } from '../filter/problem-details.js';
import { PROBLEM_MEMBERS } from '../filter/problem-details.schema.js';

interface MediaTypeObject {
  schema?: SchemaObject;
  examples?: Record<string, { summary?: string; value?: Record<string, unknown> }>;
}

interface ResponseObject {
  content?: Record<string, MediaTypeObject | undefined>;
}

const RFC_MEMBERS = ['type', 'title', 'status', 'detail', 'instance'];

/**
 * With the `problemDetails` option, each error response of the document also lists
 * `application/problem+json`: the same codes and fields, with RFC 9457's members in place of the
 * envelope's `status`, and its examples in that form. `statusOf` gives the HTTP status of a shared
 * response (under `components.responses`), whose key is a code.
 */
export function addProblemMediaType(
  responses: Record<string, unknown>,
  statusOf: (key: string) => number | undefined,
): void {
  for (const [key, response] of Object.entries(responses)) {
    const json = (response as ResponseObject).content?.['application/json'];
    const status = statusOf(key);
    if (json?.schema === undefined || status === undefined || status < 400 || !isEnvelope(json.schema)) {
      continue; // a $ref, a success, or a response the application declared itself
    }
    (response as ResponseObject).content = {
      ...(response as ResponseObject).content,
      [PROBLEM_JSON]: {
        schema: problemSchema(json.schema),
        ...(json.examples === undefined ? {} : { examples: problemExamples(json.examples, status) }),
      },
    };
  }
}

/** Whether a schema is one of the envelope's (or a `oneOf` of them), as `errorResponse()` writes them. */
function isEnvelope(schema: SchemaObject): boolean {
  const branches = (schema.oneOf as SchemaObject[] | undefined) ?? [schema];
  return branches.every(branch => {
    const status = (branch.properties as Record<string, SchemaObject> | undefined)?.status;
    return Array.isArray(status?.enum) && status.enum[0] === 'error';
  });
}

function problemSchema(schema: SchemaObject): SchemaObject {
  if (Array.isArray(schema.oneOf)) {
    return { oneOf: (schema.oneOf as SchemaObject[]).map(problemSchema) };
  }
  const { status: _envelopeStatus, ...extensions } = schema.properties as SchemaObject;
  const required = (schema.required as string[]).filter(name => name !== 'status');
  return { ...schema, required: [...RFC_MEMBERS, ...required], properties: { ...PROBLEM_MEMBERS, ...extensions } };
}

function problemExamples(
  examples: NonNullable<MediaTypeObject['examples']>,
  status: number,
): MediaTypeObject['examples'] {
  return Object.fromEntries(
    Object.entries(examples).map(([name, example]) => {
      const { status: _envelopeStatus, ...members } = example.value ?? {};
      const messages = Array.isArray(members.messages) ? (members.messages as string[]) : [];
      const problem = {
        type: 'about:blank',
        title: messages[0] ?? '',
        status,
        detail: messages.join(' '),
        instance: '/example/path',
        ...members,
      };
      return [name, { ...example, value: problem }];
    }),
  );
}

/** Whether the application's `ApiErrorsModule` has `problemDetails` on (an application without it: no). */
export function problemDetailsOn(app: INestApplicationContext): boolean {
  try {
    const options = app.get<{ problemDetails?: unknown }>(API_ERRORS_MODULE_OPTIONS, { strict: false });
    return options.problemDetails !== undefined && options.problemDetails !== false;
  } catch {
    return false;
  }
}

/** An operation's response key as a status: `'404'` is one, `'default'` or `'4XX'` is not. */
export function statusOfKey(key: string): number | undefined {
  return /^\d{3}$/.test(key) ? Number(key) : undefined;
}
