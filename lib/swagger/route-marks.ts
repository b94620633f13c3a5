/**
 * Which route each operation of a document comes from. @nestjs/swagger builds an operation's path and
 * id from the global prefix, versions and the user's `operationIdFactory`; rather than redo that, each
 * handler carries its route's index as an extension while the document is built, and the index is read
 * off (and removed from) each operation afterwards. A handler that controllers inherit from a base
 * class is one function for several routes: its operations are told apart by the controller that
 * swagger names when it asks for their ids.
 */

const ROUTE_MARK = 'x-nestjs-api-errors-route';
/** @nestjs/swagger's metadata key of `@ApiExtension()`, whose entries it copies into the operation. */
const API_EXTENSION = 'swagger/apiExtension';

type Operation = Record<string, unknown>;
type OperationIdFactory = (controllerKey: string, methodKey: string, version?: string) => string;

/** What is marked: a route's handler and its controller's class. */
interface MarkedRoute {
  readonly handler: object;
  readonly controller: { readonly name: string };
}

/** @nestjs/swagger's own default. */
const defaultOperationId: OperationIdFactory = (controllerKey, methodKey, version) =>
  version ? `${controllerKey}_${methodKey}_${version}` : `${controllerKey}_${methodKey}`;

type OperationsDocument = { paths: Record<string, object>; webhooks?: Record<string, object> };

/** The marks of one build of a document. */
export interface RouteMarks {
  /** The options for swagger, with an `operationIdFactory` that notes each id's controller. */
  readonly options: { operationIdFactory?: OperationIdFactory };
  /** Runs swagger's build with the handlers marked, and leaves the handlers as they were. */
  build<T>(build: () => T): T;
  /**
   * Every operation of the document with the index of its route, marks removed. Webhooks (requests
   * the API sends, not answers) lose their marks and are not listed.
   */
  markedOperations(document: OperationsDocument): [Operation, number][];
}

export function routeMarks(
  routes: readonly MarkedRoute[],
  options: { operationIdFactory?: OperationIdFactory },
): RouteMarks {
  const indexes = new Map<object, number[]>();
  routes.forEach(({ handler }, index) => indexes.set(handler, [...(indexes.get(handler) ?? []), index]));
  const owners = new Map<string, string>();
  const factory = options.operationIdFactory ?? defaultOperationId;
  return {
    options: {
      ...options,
      operationIdFactory: (controllerKey, methodKey, version) => {
        const id = factory(controllerKey, methodKey, version);
        owners.set(id, controllerKey);
        return id;
      },
    },
    build<T>(build: () => T): T {
      const previous = new Map(
        [...indexes.keys()].map(handler => [
          handler,
          Reflect.getMetadata(API_EXTENSION, handler) as object | undefined,
        ]),
      );
      for (const [handler, marks] of indexes) {
        Reflect.defineMetadata(API_EXTENSION, { ...previous.get(handler), [ROUTE_MARK]: marks }, handler);
      }
      try {
        return build();
      } finally {
        for (const [handler, before] of previous) {
          if (before === undefined) {
            Reflect.deleteMetadata(API_EXTENSION, handler);
          } else {
            Reflect.defineMetadata(API_EXTENSION, before, handler);
          }
        }
      }
    },
    markedOperations(document) {
      const marked: [Operation, number][] = [];
      for (const [paths, listed] of [
        [document.paths, true],
        [document.webhooks ?? {}, false],
      ] as const) {
        for (const operations of Object.values(paths) as Record<string, unknown>[]) {
          for (const operation of Object.values(operations) as Operation[]) {
            const marks = typeof operation === 'object' && operation !== null ? operation[ROUTE_MARK] : undefined;
            if (!Array.isArray(marks)) {
              continue;
            }
            delete operation[ROUTE_MARK];
            const owner = owners.get(operation.operationId as string);
            const index =
              (marks as number[]).find(mark => routes[mark]?.controller.name === owner) ?? (marks[0] as number);
            if (listed) {
              marked.push([operation, index]);
            }
          }
        }
      }
      return marked;
    },
  };
}
