import { createRequire } from 'node:module';

interface ExposeMetadataStorage {
  findExposeMetadata(target: object, propertyName: string): { options?: { name?: string; toPlainOnly?: boolean } } | undefined;
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
      storage = (require('class-transformer/cjs/storage.js') as { defaultMetadataStorage: ExposeMetadataStorage }).defaultMetadataStorage;
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
  const expose = exposeStorage()?.findExposeMetadata((target as object).constructor, property);
  const name = expose?.options?.toPlainOnly === true ? undefined : expose?.options?.name;
  return typeof name === 'string' && name !== '' ? name : property;
}
