/** The stack of a server fault, with the stacks of its causes; for a non-Error value, its type. */
export function describeFault(exception: unknown): string {
  if (!(exception instanceof Error)) {
    return `non-Error value thrown (${exception === null ? 'null' : typeof exception})`;
  }
  const parts: string[] = [];
  let current: unknown = exception;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push((depth === 0 ? '' : '[cause]: ') + (current.stack ?? `${current.name}: ${current.message}`));
    current = current.cause;
  }
  return parts.join('\n');
}
