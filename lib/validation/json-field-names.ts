import { createRequire } from 'node:module';

interface ExposeMetadataStorage {
  findExposeMetadata(
    target: object,
    propertyName: string,
  ): { options?: { name?: string; toPlainOnly?: boolean } } | undefined;
}

let storage: ExposeMetadataStorage | null | undefined;

/**
 * class-transformer keeps `@Expose({ name })` in a storage that it does not export from its entry
 * point; `@nestjs/mapped-types` and `@nestjs/swagger` read it from the same file. Without it (another
 * build of class-transformer), field names stay the property names.
 */
function exposeStorage(): ExposeMetadataStorage | null {
  if (storage === undefined) {
    try {
      const require = createRequire(import.meta.url);
      storage = (require('class-transformer/cjs/storage.js') as { defaultMetadataStorage: ExposeMetadataStorage })
        .defaultMetadataStorage;
    } catch {
      storage = null;
    }
  }
  return storage;
}

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
    const expose = exposeStorage()?.findExposeMetadata(type, property);
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
