import { DEFAULT_API_KEY_HEADER } from '../api-errors.constants.js';
import { AUTHORIZATION_SCHEMES, type AuthorizationScheme } from '../guards/authorization/authorization-scheme.js';
import {
  AUTHORIZATION_SCHEMES_METADATA,
  REQUIRE_API_KEY_METADATA,
  REQUIRE_CRITICAL_AUTH_METADATA,
} from '../internal.constants.js';

/** The package's kinds of credentials, each one security scheme of the document. */
export type CredentialKind = 'apiKey' | AuthorizationScheme;

/** Names of the document's security schemes for each kind of credential. */
export type SecuritySchemeNames = Partial<Record<CredentialKind, string>>;

type Schemes = Record<string, unknown>;
type Requirement = Record<string, string[]>;

/** The names used when the document defines no scheme of that kind. */
const OWN_NAMES: Record<CredentialKind, string> = { apiKey: 'api-key', bearer: 'bearer', signature: 'signature' };

function ownScheme(kind: CredentialKind, apiKeyHeader: string): object {
  switch (kind) {
    case 'apiKey':
      return { type: 'apiKey', in: 'header', name: apiKeyHeader, description: "The client application's API key." };
    case 'bearer':
      return { type: 'http', scheme: 'bearer', description: 'A session or access token.' };
    case 'signature':
      return {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'A request signature: `Authorization: Signature keyId=…, …`.',
      };
  }
}

/** Whether a scheme of the document stands for a kind of credential. */
function matches(kind: CredentialKind, scheme: unknown, apiKeyHeader: string): boolean {
  const { type, in: place, name, scheme: http } = (scheme ?? {}) as Record<string, unknown>;
  const header = typeof name === 'string' ? name.toLowerCase() : undefined;
  switch (kind) {
    case 'apiKey':
      return type === 'apiKey' && place === 'header' && header === apiKeyHeader.toLowerCase();
    case 'bearer':
      return type === 'http' && typeof http === 'string' && http.toLowerCase() === 'bearer';
    case 'signature':
      return type === 'apiKey' && place === 'header' && header === 'authorization';
  }
}

/**
 * The security requirements of a route, from its access decorators: the API key with each accepted
 * authorization scheme, as alternatives. Scheme names come from `names`, else from a matching scheme of
 * the document, else the package's own, which is then added to `schemes`.
 */
export function routeSecurity(
  read: (key: symbol) => unknown,
  schemes: Schemes,
  names: SecuritySchemeNames = {},
  apiKeyHeader: string = DEFAULT_API_KEY_HEADER,
): Requirement[] | undefined {
  const nameOf = (kind: CredentialKind): string => {
    const name =
      names[kind] ?? Object.keys(schemes).find(key => matches(kind, schemes[key], apiKeyHeader)) ?? OWN_NAMES[kind];
    schemes[name] ??= ownScheme(kind, apiKeyHeader);
    return name;
  };
  const apiKey = read(REQUIRE_API_KEY_METADATA) !== undefined ? { [nameOf('apiKey')]: [] } : {};
  const accepted = read(AUTHORIZATION_SCHEMES_METADATA) as readonly AuthorizationScheme[] | null | undefined;
  if (accepted === undefined && read(REQUIRE_CRITICAL_AUTH_METADATA) === undefined) {
    return Object.keys(apiKey).length > 0 ? [apiKey] : undefined;
  }
  return (accepted ?? AUTHORIZATION_SCHEMES).map(scheme => ({ ...apiKey, [nameOf(scheme)]: [] }));
}
