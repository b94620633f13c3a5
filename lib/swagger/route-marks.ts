/**
 * Which handler each operation of a document comes from. @nestjs/swagger builds an operation's path
 * and id from the global prefix, versions and the user's `operationIdFactory`; rather than redo that,
 * each handler carries its index as an extension while the document is built, and the index is read
 * off (and removed from) each operation afterwards.
 */

const ROUTE_MARK = 'x-nestjs-api-errors-route';
/** @nestjs/swagger's metadata key of `@ApiExtension()`, whose entries it copies into the operation. */
const API_EXTENSION = 'swagger/apiExtension';

type Operation = Record<string, unknown>;

/** Runs `build` with each handler marked with its index, and the handlers as they were afterwards. */
export function withRouteMarks<T>(handlers: readonly object[], build: () => T): T {
  const previous = handlers.map(handler => Reflect.getMetadata(API_EXTENSION, handler) as object | undefined);
  handlers.forEach((handler, index) =>
    Reflect.defineMetadata(API_EXTENSION, { ...previous[index], [ROUTE_MARK]: index }, handler),
  );
  try {
    return build();
  } finally {
    handlers.forEach((handler, index) => {
      const before = previous[index];
      if (before === undefined) {
        Reflect.deleteMetadata(API_EXTENSION, handler);
      } else {
        Reflect.defineMetadata(API_EXTENSION, before, handler);
      }
    });
  }
}

/**
 * Every operation of the document with the index of its handler, marks removed. Webhooks (requests the
 * API sends, not answers) lose their marks and are not listed.
 */
export function markedOperations(document: {
  paths: Record<string, object>;
  webhooks?: Record<string, object>;
}): [Operation, number][] {
  const marked: [Operation, number][] = [];
  for (const [paths, listed] of [
    [document.paths, true],
    [document.webhooks ?? {}, false],
  ] as const) {
    for (const operations of Object.values(paths) as Record<string, unknown>[]) {
      for (const operation of Object.values(operations)) {
        if (typeof operation !== 'object' || operation === null || !(ROUTE_MARK in operation)) {
          continue;
        }
        const index = (operation as Operation)[ROUTE_MARK] as number;
        delete (operation as Operation)[ROUTE_MARK];
        if (listed) {
          marked.push([operation as Operation, index]);
        }
      }
    }
  }
  return marked;
}
