/**
 * What a client reads in `messages`: a list of sentences, or the sentences per request field, keyed by
 * the field's JSON name (dotted for nested fields: `address.city`, `items.0.sku`).
 */
export type ApiErrorMessages = string[] | Record<string, string[]>;

/** What a thrower may pass as messages: a single string and single-string fields are accepted too. */
export type ApiErrorMessagesInput = string | readonly string[] | Readonly<Record<string, string | readonly string[]>>;

/**
 * Brings messages to their wire form. Anything that is not a string, a list of strings or an object
 * of those yields `undefined`, so that the default message of the code is sent instead.
 */
export function normalizeMessages(input: unknown): ApiErrorMessages | undefined {
  if (typeof input === 'string') {
    return input === '' ? undefined : [input];
  }
  if (Array.isArray(input)) {
    const list = input.filter((item): item is string => typeof item === 'string' && item !== '');
    return list.length > 0 ? list : undefined;
  }
  if (input !== null && typeof input === 'object') {
    const byField: Record<string, string[]> = {};
    let fields = 0;
    for (const [field, value] of Object.entries(input)) {
      const list = normalizeMessages(value);
      if (list !== undefined && Array.isArray(list)) {
        setField(byField, field, list);
        fields++;
      }
    }
    return fields > 0 ? byField : undefined;
  }
  return undefined;
}

/**
 * Sets a field of a messages object. `defineProperty` keeps a client-chosen key such as `__proto__` an
 * ordinary field instead of a prototype change.
 */
export function setField(target: Record<string, string[]>, field: string, value: string[]): void {
  Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
}
