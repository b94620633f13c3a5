/** States of a user profile the authorization guard answers for: every state but `active` is refused with 403. */
export type PrincipalStatus = 'active' | 'restricted' | 'closed' | 'denied';

/** Who a request was authenticated as: from a Bearer token's claims or a signing key. */
export interface Principal {
  /** Stable id of the user or service. */
  id: string;
  /** `restricted`, `closed` and `denied` are refused with 403 `auth.user.*`. @default 'active' */
  status?: PrincipalStatus;
  /** Anything else your verifier adds (claims, roles, the signing key id…). */
  [key: string]: unknown;
}

/** The client application an API key belongs to. */
export interface ClientApplication {
  /** Stable id of the client application. */
  id: string;
  /** Anything else your validator adds (name, plan, scopes…). */
  [key: string]: unknown;
}
