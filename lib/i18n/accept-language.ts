/**
 * The language tags of an `Accept-Language` header, best first (by `q`, then by order), without `q=0`
 * ones, each tag once. The header is the client's to choose: the work is bounded whatever it holds (only its first
 * characters and tags are read, anything that is not a plain tag is skipped).
 */
export function parseAcceptLanguage(header: unknown): string[] {
  if (typeof header !== 'string' || header === '') {
    return [];
  }
  const ranked: { tag: string; q: number; index: number }[] = [];
  const entries = header.slice(0, MAX_HEADER_CHARS).split(',', MAX_ENTRIES);
  for (let index = 0; index < entries.length; index++) {
    const [rawTag = '', ...params] = (entries[index] as string).split(';', 4);
    const tag = rawTag.trim();
    if (!LANGUAGE_TAG.test(tag)) {
      continue;
    }
    const q = quality(params);
    const seen = ranked.some(entry => entry.tag.toLowerCase() === tag.toLowerCase());
    if (q > 0 && !seen && ranked.length < MAX_TAGS) {
      ranked.push({ tag, q, index });
    }
  }
  // Array.prototype.sort is stable: equal weights keep the client's order.
  return ranked.sort((a, b) => b.q - a.q).map(entry => entry.tag);
}

/** Real headers are a few dozen characters; a longer one is cut, not refused. */
const MAX_HEADER_CHARS = 1024;
const MAX_ENTRIES = 64;
const MAX_TAGS = 16;
/** A BCP 47 tag as clients send them (`fr`, `fr-CH`, `zh-Hant-TW`), or `*`. */
const LANGUAGE_TAG = /^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,4}|\*)$/;
const Q_PARAM = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

function quality(params: string[]): number {
  for (const param of params) {
    const match = Q_PARAM.exec(param.trim());
    if (match !== null) {
      return Number(match[1]);
    }
  }
  // No q (or a malformed one, which RFC 9110 gives no meaning): the default weight.
  return params.some(param => param.trim() !== '') ? 0 : 1;
}
