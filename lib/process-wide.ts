/**
 * One value per process, shared by the ES module and the CommonJS builds of the package when an
 * application loads both (kept on `globalThis` under a `Symbol.for` key, like the package's other keys).
 */
export function processWide<T>(name: string, make: () => T): T {
  const holder = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(`nestjs-api-errors.${name}`);
  return (holder[key] ??= make()) as T;
}
