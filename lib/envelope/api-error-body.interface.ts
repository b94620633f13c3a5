import type { API_ERROR_CATALOGUE, ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import type { DeclaredFields } from '../catalogue/api-error-field.js';
import type { ApiErrorMessages } from '../exceptions/api-error-messages.js';
import type { OPTIONAL_ENVELOPE_FIELDS } from './declared-fields.js';

/** The fields any error body may carry, whatever its code (`doc_url`, with the `docUrl` option). */
export type OptionalEnvelopeFields = DeclaredFields<typeof OPTIONAL_ENVELOPE_FIELDS>;

/** The four fields every error body has, whatever its code, and the optional ones any may have. */
export interface ApiErrorEnvelope<C extends string = string> extends OptionalEnvelopeFields {
  status: 'error';
  /** One of the catalogue's codes. */
  error_code: C;
  /** Unique id of this error response; also in the `X-Error-Id` header and in the server's log line. */
  error_id: string;
  /** Sentences, or sentences per request field (keyed by the field's JSON name, dotted when nested). */
  messages: ApiErrorMessages;
  /** Fields no catalogue declares (an application may add its own). */
  [field: string]: unknown;
}

/** A catalogue as a type: code → definition with its optional `fields` declarations. */
export type CatalogueTable = { readonly [code: string]: object };

type FieldsOf<C extends string, T extends CatalogueTable> = C extends keyof T
  ? T[C] extends { readonly fields: infer F }
    ? DeclaredFields<F>
    : unknown
  : unknown;

/**
 * The body of every error response, per code: a union discriminated by `error_code`, each member with
 * the extra fields its code declares (`critical_auth_method` with `critical.auth.required`,
 * `retry_after` with `request.rate.exceeded`). For an application's codes, give its table as `T`, or
 * use `ApiErrorBodyOf<typeof myErrors>`.
 *
 * @example
 * { "status": "error", "error_code": "auth.apikey.missing", "error_id": "3f1c9c3e-…",
 *   "messages": ["Request does not have X-Api-Key header which must contain API key of the client application."] }
 */
export type ApiErrorBody<
  C extends string = ApiErrorCode,
  T extends CatalogueTable = typeof API_ERROR_CATALOGUE,
> = C extends unknown ? ApiErrorEnvelope<C> & FieldsOf<C, T> : never;

/** A successful JSON body: the handler's object with `status` added, or any other value under `data`. */
export type ApiSuccessBody<T> = T extends readonly unknown[] | string | number | boolean | null
  ? { status: 'success'; data: T }
  : T & { status: 'success' };
