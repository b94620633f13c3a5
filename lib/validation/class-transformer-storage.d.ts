// class-transformer publishes no types beside `cjs/storage.js`; this is the one method the package reads.
declare module 'class-transformer/cjs/storage.js' {
  export const defaultMetadataStorage:
    | {
        findExposeMetadata(
          target: object,
          propertyName: string,
        ): { options?: { name?: string; toPlainOnly?: boolean } } | undefined;
      }
    | undefined;
}
