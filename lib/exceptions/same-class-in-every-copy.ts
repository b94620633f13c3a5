// An application can load two copies of the package: its CommonJS code requires the CommonJS build while
// an ES module imports the ES module build. Each copy has its own classes, so a plain `instanceof` would
// not see an exception of one copy as an `ApiException` of the other, and the other copy's filter would
// answer it as a bare `HttpException`. The package's own classes carry a brand that is the same in both
// copies, and their `instanceof` accepts an instance of the class with the same brand in the other copy.

const BRAND = Symbol.for('nestjs-api-errors.class-brand');
/** The brand of the class made for each built-in code: the exported per-code class is its only subclass. */
const BUILT_IN_CODE_BRAND = 'code:';

type Branded = { [BRAND]?: string };

/** Gives a class of the package the name every copy gives the same class. */
export function brandClass(target: object, brand: string): void {
  Object.defineProperty(target, BRAND, { value: brand });
}

/** Gives the class made for a built-in code its brand (classes of an application's codes have none). */
export function brandBuiltInCodeClass(target: object, code: string): void {
  brandClass(target, `${BUILT_IN_CODE_BRAND}${code}`);
}

function ownBrand(target: unknown): string | undefined {
  return typeof target === 'function' && Object.hasOwn(target, BRAND) ? (target as Branded)[BRAND] : undefined;
}

/**
 * The brand `instanceof` compares with: the class's own one, or, for an exported per-code class
 * (`class TokenInvalidException extends apiExceptionClass(…) {}`), the one of the built-in code's class it
 * extends. An application's subclass has none, and keeps the plain `instanceof` of one copy.
 */
function brandOf(target: object): string | undefined {
  const own = ownBrand(target);
  if (own !== undefined) {
    return own;
  }
  const parent = ownBrand(Object.getPrototypeOf(target));
  return parent?.startsWith(BUILT_IN_CODE_BRAND) === true ? parent : undefined;
}

/** `value instanceof target`, where an instance of the same package class of another copy counts too. */
export function isInstanceInAnyCopy(target: object, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(target, value)) {
    return true;
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return false;
  }
  const brand = brandOf(target);
  if (brand === undefined) {
    return false;
  }
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const constructor = Object.hasOwn(proto as object, 'constructor')
      ? (proto as { constructor: unknown }).constructor
      : undefined;
    if (constructor !== undefined && brandOf(constructor as object) === brand) {
      return true;
    }
  }
  return false;
}
