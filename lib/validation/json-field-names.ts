// A static import resolves the same file from either build: Node links it as CommonJS from the ES
// module build, and the CommonJS build requires it. `@Expose()` of the application writes into this
// storage (class-transformer's entry point is its CommonJS build too).
import * as classTransformerStorage from 'class-transformer/cjs/storage.js';

type ExposeMetadataStorage = NonNullable<typeof classTransformerStorage.defaultMetadataStorage>;

/**
 * class-transformer keeps `@Expose({ name })` in a storage that it does not export from its entry
 * point; `@nestjs/mapped-types` and `@nestjs/swagger` read it from the same file. Without it (another
 * build of class-transformer), field names stay the property names.
 */
const storage: ExposeMetadataStorage | null =
  typeof classTransformerStorage.defaultMetadataStorage?.findExposeMetadata === 'function'
    ? classTransformerStorage.defaultMetadataStorage
    : null;

/**
 * The name under which the client sends a property: its `@Expose({ name })` when one applies to
 * incoming data, the property name otherwise.
 */
export function jsonFieldName(target: unknown, property: string): string {
  if (target === null || typeof target !== 'object' || Array.isArray(target)) {
    return property;
  }
  const type = (target as object).constructor;
  let names = namesByClass.get(type);
  if (names === undefined) {
    names = new Map();
    namesByClass.set(type, names);
  }
  let name = names.get(property);
  if (name === undefined) {
    const expose = storage?.findExposeMetadata(type, property);
    const exposed = expose?.options?.toPlainOnly === true ? undefined : expose?.options?.name;
    name = typeof exposed === 'string' && exposed !== '' ? exposed : property;
    names.set(property, name);
  }
  return name;
}

/**
 * A message that starts with the property name (class-validator's defaults do), reworded with the name
 * the client sends; other messages as they are.
 */
export function withJsonFieldName(message: string, property: string, name: string): string {
  if (property === name) {
    return message;
  }
  for (const prefix of ['', 'each value in ', 'nested property ']) {
    if (message.startsWith(`${prefix}${property} `)) {
      return `${prefix}${name}${message.slice(prefix.length + property.length)}`;
    }
  }
  return message;
}

/** Names looked up once per class and property: metadata does not change once classes are defined. */
const namesByClass = new WeakMap<object, Map<string, string>>();
