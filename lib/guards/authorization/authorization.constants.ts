/** Authorization schemes the guard knows. */
export type AuthorizationScheme = 'bearer' | 'signature';

/** Metadata key: the schemes a route accepts (`@RequireAuthorization({ schemes })`). */
export const AUTHORIZATION_SCHEMES_METADATA = 'nestjs-api-errors:authorization-schemes';

/** The body field that may carry a Bearer token where there is no `Authorization` header. */
export const TOKEN_FIELD = 'token';
