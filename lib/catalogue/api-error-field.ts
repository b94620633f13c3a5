/**
 * One extra body field a code declares, beside the envelope's own four (`status`, `error_code`,
 * `error_id`, `messages`). The TypeScript type of the body, its JSON Schema, its OpenAPI schema,
 * `isApiErrorBody` and the OpenAPI examples are all derived from these declarations.
 *
 * A field a catalogue declares travels only with the codes that declare it: `retry_after` on any
 * other code is refused by the schema and by `isApiErrorBody`. Fields nobody declares stay open.
 *
 * @example
 * retry_after: { type: 'integer', minimum: 0, description: 'Seconds to wait.', example: 30 }
 */
export type ApiErrorFieldSpec = StringFieldSpec | NumberFieldSpec | BooleanFieldSpec;

interface FieldSpecBase {
  /** What the field tells the client; shown in the schemas. */
  readonly description: string;
  /** Whether every body of the code carries the field. @default false */
  readonly required?: boolean;
}

export interface StringFieldSpec extends FieldSpecBase {
  readonly type: 'string';
  /** The only values the field may take. @default any string */
  readonly enum?: readonly string[];
  /** A value shown in the OpenAPI examples. */
  readonly example: string;
}

export interface NumberFieldSpec extends FieldSpecBase {
  /** `integer` refuses fractions. */
  readonly type: 'integer' | 'number';
  /** The smallest value allowed. @default no minimum */
  readonly minimum?: number;
  readonly example: number;
}

export interface BooleanFieldSpec extends FieldSpecBase {
  readonly type: 'boolean';
  readonly example: boolean;
}

/** The declared fields of one code, by field name. */
export type ApiErrorFieldSpecs = Readonly<Record<string, ApiErrorFieldSpec>>;

/** The TypeScript type of one declared field's value. */
export type FieldValue<S> = S extends { readonly type: 'string'; readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly type: 'string' }
    ? string
    : S extends { readonly type: 'integer' | 'number' }
      ? number
      : S extends { readonly type: 'boolean' }
        ? boolean
        : never;

type RequiredNames<F> = { [K in keyof F]: F[K] extends { readonly required: true } ? K : never }[keyof F];

/** The body fields a set of declarations adds: required ones as required properties, others optional. */
export type DeclaredFields<F> = {
  -readonly [K in RequiredNames<F>]: FieldValue<F[K]>;
} & {
  -readonly [K in Exclude<keyof F, RequiredNames<F>>]?: FieldValue<F[K]>;
};
