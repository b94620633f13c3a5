/** The form of an error code: two or more dot-separated lower-case parts, e.g. `billing.card.declined`. */
export const API_ERROR_CODE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$';

export const API_ERROR_CODE_FORMAT = new RegExp(API_ERROR_CODE_PATTERN);
