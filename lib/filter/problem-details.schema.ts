import { BUILT_IN_ERRORS } from '../catalogue/api-error-catalogue.js';
import type { FieldsOfCode } from '../envelope/declared-fields.js';
import { buildErrorBodySchema, type SchemaDialect, type SchemaObject } from '../envelope/error-body-schema.builder.js';

/**
 * RFC 9457's members, as the `problemDetails` option fills them. `status` is the HTTP status here, where
 * the envelope's `status` is the word "error": the one member the two bodies name alike.
 */
export const PROBLEM_MEMBERS: Readonly<SchemaObject> = {
  type: {
    type: 'string',
    minLength: 1,
    description: "The page of the error code (the problemDetails type, else docUrl), or 'about:blank'.",
  },
  title: { type: 'string', minLength: 1, description: 'The message of the code in the catalogue.' },
  status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status of the response.' },
  detail: { type: 'string', description: 'The messages in one string.' },
  instance: { type: 'string', pattern: '^/[^?#]*$', description: 'The path of the request, without its query.' },
};

/**
 * The problem details body's schema for a set of catalogue entries: the envelope's schema (its code, id,
 * messages and every declared field with its rules, as extension members) with RFC 9457's members in
 * place of the envelope's `status`, so that both bodies derive from the same declarations.
 */
export function buildProblemDetailsSchema(entries: Iterable<FieldsOfCode>, dialect: SchemaDialect): SchemaObject {
  const envelope = buildErrorBodySchema(entries, dialect);
  const { status: _envelopeStatus, doc_url: _docUrl, ...extensions } = envelope.properties as SchemaObject;
  const required = (envelope.required as string[]).filter(name => name !== 'status');
  return {
    ...envelope,
    description: 'The body of an error response in RFC 9457 format (application/problem+json).',
    required: ['type', 'title', 'status', 'detail', 'instance', ...required],
    properties: { ...PROBLEM_MEMBERS, ...extensions },
  };
}

/** JSON Schema (draft-07) of the problem details body, with the built-in codes' fields. */
export const problemDetailsSchema: Readonly<SchemaObject> = Object.freeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/nestjs-api-errors/nestjs-api-errors/schemas/problem-details.json',
  title: 'ApiProblemDetails',
  ...buildProblemDetailsSchema(BUILT_IN_ERRORS.values(), 'json-schema'),
});
