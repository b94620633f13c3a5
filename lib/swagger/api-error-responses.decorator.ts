import type { ApiErrorCode } from '../catalogue/api-error-catalogue.js';
import { API_ERROR_RESPONSES_METADATA } from '../internal.constants.js';

/** A built-in code (autocompleted) or one of your own catalogue's. */
export type DocumentedErrorCode = ApiErrorCode | (string & {});

/**
 * Lists error codes a route (or every route of a controller) can answer with, besides the ones its
 * guards imply, for the OpenAPI document that `createApiErrorsDocument()` builds. Only metadata:
 * `@nestjs/swagger` is not needed until the document is built.
 *
 * @example
 * @Get(':id') @ApiErrorResponses('object.id.notfound', 'auth.restricted')
 */
export function ApiErrorResponses(...codes: DocumentedErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, _property?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder = (descriptor?.value ?? target) as object;
    const existing = (Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, holder) as string[] | undefined) ?? [];
    Reflect.defineMetadata(API_ERROR_RESPONSES_METADATA, [...new Set([...existing, ...codes])], holder);
  };
}
