/** An item of the expiry heap: stale once its key holds another entry (or none). */
export interface ExpiryItem<E> {
  expiresAt: number;
  key: string;
  entry: E;
}

// A binary min-heap on `expiresAt`, kept in a plain array: the `MemoryStore` drops expired entries in
// expiry order, at the cost of the entries dropped rather than of a scan of the whole map.

export function pushItem<E>(heap: ExpiryItem<E>[], item: ExpiryItem<E>): void {
  heap.push(item);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if ((heap[parent] as ExpiryItem<E>).expiresAt <= item.expiresAt) {
      break;
    }
    heap[index] = heap[parent] as ExpiryItem<E>;
    index = parent;
  }
  heap[index] = item;
}

export function popMin<E>(heap: ExpiryItem<E>[]): ExpiryItem<E> {
  const min = heap[0] as ExpiryItem<E>;
  const last = heap.pop() as ExpiryItem<E>;
  if (heap.length === 0) {
    return min;
  }
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) {
      break;
    }
    const right = left + 1;
    const child =
      right < heap.length && (heap[right] as ExpiryItem<E>).expiresAt < (heap[left] as ExpiryItem<E>).expiresAt
        ? right
        : left;
    if ((heap[child] as ExpiryItem<E>).expiresAt >= last.expiresAt) {
      break;
    }
    heap[index] = heap[child] as ExpiryItem<E>;
    index = child;
  }
  heap[index] = last;
  return min;
}
