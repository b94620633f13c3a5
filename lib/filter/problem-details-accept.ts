const PROBLEM = 'application/problem+json';
const JSON_TYPE = 'application/json';

/**
 * Whether the `Accept` header asks for RFC 9457's `application/problem+json`. The rule: the header names
 * `application/problem+json` itself with a q-value above 0, at least as high as the q-value it gives
 * `application/json` (through `application/json`, else `application/*`, else `*\/*`, the most specific
 * range that matches, as RFC 9110 ranks them). Wildcards never select it: a client that accepts anything
 * gets the envelope, which is what every client written before the option expects.
 */
export function acceptsProblemJson(accept: string | string[] | undefined): boolean {
  if (accept === undefined) {
    return false;
  }
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (!header.toLowerCase().includes(PROBLEM)) {
    return false; // the common case, without parsing
  }
  let problem = 0;
  let json: number | undefined;
  let typeWildcard: number | undefined;
  let anyWildcard: number | undefined;
  for (const range of header.split(',')) {
    const [name = '', ...params] = range.split(';');
    const type = name.trim().toLowerCase();
    const q = qualityOf(params);
    if (type === PROBLEM) {
      problem = Math.max(problem, q);
    } else if (type === JSON_TYPE) {
      json = Math.max(json ?? 0, q);
    } else if (type === 'application/*') {
      typeWildcard = Math.max(typeWildcard ?? 0, q);
    } else if (type === '*/*') {
      anyWildcard = Math.max(anyWildcard ?? 0, q);
    }
  }
  return problem > 0 && problem >= (json ?? typeWildcard ?? anyWildcard ?? 0);
}

/** The `q` parameter (0 to 1, default 1); a malformed one counts as 0, so it never selects anything. */
function qualityOf(params: string[]): number {
  for (const param of params) {
    const [key = '', value = ''] = param.split('=');
    if (key.trim().toLowerCase() === 'q') {
      const text = value.trim();
      const q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text) ? Number(text) : 0;
      return q;
    }
  }
  return 1;
}
