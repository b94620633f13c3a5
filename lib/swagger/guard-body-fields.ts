import { requiredAccessChecks, type AccessBodyField } from '../guards/access-checks.js';

type Schema = Record<string, unknown>;
interface RequestBody {
  required?: boolean;
  content?: Record<string, { schema?: Schema }>;
}

/**
 * Adds to an operation's request body the fields its access checks read from the body (`password` /
 * `otp` of a critical change, `captcha_response`, `accept_disclaimers`, the `token` alternative to the
 * Authorization header): the guards take them out before the validation pipe sees the body, so the DTO
 * does not declare them, yet a client sends them. The DTO's schema is copied into the operation rather
 * than changed, since other operations may use it without these checks. An operation without a body gets
 * one only when a check requires a field.
 */
export function documentGuardBodyFields(
  operation: { requestBody?: unknown },
  read: (key: symbol) => unknown,
  schemas: Readonly<Record<string, unknown>>,
): void {
  const fields: Record<string, AccessBodyField> = {};
  for (const { check, value } of requiredAccessChecks(read)) {
    Object.assign(fields, check.bodyFields?.(value));
  }
  const names = Object.keys(fields);
  if (names.length === 0) {
    return;
  }
  const requiredNames = names.filter(name => fields[name]?.required === true);
  if (operation.requestBody === undefined) {
    if (requiredNames.length === 0) {
      return;
    }
    operation.requestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
  }
  const body = operation.requestBody as RequestBody;
  if (requiredNames.length > 0) {
    body.required = true;
  }
  for (const media of Object.values(body.content ?? {})) {
    const schema = resolve(media.schema, schemas);
    if (schema === undefined || (schema.type !== undefined && schema.type !== 'object')) {
      continue;
    }
    media.schema = {
      ...schema,
      type: 'object',
      properties: {
        ...(schema.properties as Schema | undefined),
        ...Object.fromEntries(names.map(name => [name, fields[name]?.schema])),
      },
      required: [...new Set([...((schema.required as string[] | undefined) ?? []), ...requiredNames])],
    };
  }
}

/** A schema, or the component a local `$ref` names. */
function resolve(schema: Schema | undefined, schemas: Readonly<Record<string, unknown>>): Schema | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') {
    return schema;
  }
  const prefix = '#/components/schemas/';
  return ref.startsWith(prefix) ? (schemas[ref.slice(prefix.length)] as Schema | undefined) : undefined;
}
