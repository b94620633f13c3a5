import { API_ERROR_CODE_PATTERN } from '../catalogue/code-format.js';

/**
 * JSON Schema (draft-07) of the error envelope: validate responses with it in API clients and tests.
 * `error_code` is checked for its form; the codes themselves are in `API_ERROR_CATALOGUE`.
 */
export const apiErrorBodySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/nestjs-api-errors/nestjs-api-errors/schemas/api-error-body.json',
  title: 'ApiErrorBody',
  type: 'object',
  required: ['status', 'error_code', 'error_id', 'messages'],
  properties: {
    status: { const: 'error' },
    error_code: { type: 'string', pattern: API_ERROR_CODE_PATTERN },
    error_id: { type: 'string', minLength: 1 },
    messages: {
      oneOf: [
        { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        {
          type: 'object',
          minProperties: 1,
          additionalProperties: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        },
      ],
    },
    critical_auth_method: { enum: ['password', 'otp'] },
    retry_after: { type: 'integer', minimum: 0 },
  },
  additionalProperties: true,
} as const;
