/**
 * The claims of a verified JWT: the registered ones typed, any other as `unknown`. It has the shape of
 * jose's `JWTPayload` (one is assignable to the other), written here so that the package's types do
 * not need jose, an optional peer dependency, to be installed.
 */
export interface JwtClaims {
  /** Issuer. */
  iss?: string;
  /** Subject: the user or service the token was issued for. */
  sub?: string;
  /** Audience. */
  aud?: string | string[];
  /** Token id. */
  jti?: string;
  /** Not before, in seconds since the epoch. */
  nbf?: number;
  /** Expiry, in seconds since the epoch. */
  exp?: number;
  /** Issued at, in seconds since the epoch. */
  iat?: number;
  /** Any other claim. */
  [claim: string]: unknown;
}

/** What `VerifiedTokens` reads of a JSON Web Key Set: the ids of its keys. */
export interface JwksKeyIds {
  keys: ReadonlyArray<{ kid?: string | undefined }>;
}
