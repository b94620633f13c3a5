// nestjs-api-errors/client: what an API's client needs, without NestJS. Nothing here imports
// @nestjs/*, reflect-metadata, rxjs or class-validator; only the request signing needs node:crypto.

// The catalogue, as plain data: every code with its status, default message and declared fields
export { API_ERROR_CATALOGUE, type ApiErrorCode, type SeedApiErrorCode } from '../catalogue/api-error-catalogue.js';
export type { ApiErrorDefinition } from '../catalogue/api-error-definition.interface.js';
export type { ApiErrorFieldSpec, ApiErrorFieldSpecs } from '../catalogue/api-error-field.js';
export { API_ERROR_CODE_PATTERN } from '../catalogue/code-format.js';

// The error body: its type, its JSON Schema, and a check that narrows an unknown value to it
export type { ApiErrorBody, ApiErrorEnvelope, ApiSuccessBody } from '../envelope/api-error-body.interface.js';
export type { ApiErrorMessages } from '../exceptions/api-error-messages.js';
export { apiErrorBodySchema } from '../envelope/api-error-body.schema.js';
export { isApiErrorBody } from '../envelope/is-api-error-body.js';

// Request signing for `Authorization: Signature …` (Node only: node:crypto)
export {
  signRequest,
  signatureBase,
  parseSignature,
  type SignedRequest,
  type SignatureParameters,
} from './signature.js';
