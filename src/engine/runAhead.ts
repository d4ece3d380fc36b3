/**
 * Keeping work queued ahead: model calls run in worker threads while this thread prepares the
 * next calls and consumes the last results.
 */

/**
 * Yields the results of the promises pulled from `started` (pulling one starts its work), in
 * order, keeping `ahead` of them started while the caller works on a result. With `ahead` 0
 * the next one is pulled only when the caller asks for it, as a plain loop would.
 * A rejection surfaces when its result is due; promises left behind when the caller stops
 * early are not reported as unhandled.
 */
export async function* runAhead<T>(started: Iterator<Promise<T>>, ahead: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  const pull = (): boolean => {
    const next = started.next();
    if (next.done) return false;
    next.value.catch(() => undefined);
    queue.push(next.value);
    return true;
  };
  const fill = () => {
    while (queue.length < ahead && pull());
  };
  fill();
  if (queue.length === 0) pull();
  while (queue.length > 0) {
    const result = await queue.shift()!;
    fill();
    yield result;
    if (queue.length === 0) pull();
  }
}
