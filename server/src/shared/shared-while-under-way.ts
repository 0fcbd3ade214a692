/**
 * Work keyed by a string that callers arriving while it is under way share instead of repeating:
 * when a control room's clients reconnect at once, a few people's tokens and accounts were
 * checked and read a thousand times over (the token's signature, a pooled connection each). One
 * that joins gets an answer as fresh as if it had arrived when the work began; once the work has
 * settled, the next caller starts it again (nothing is remembered here).
 */
export function sharedWhileUnderWay<T>(work: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const underWay = new Map<string, Promise<T>>();
  return (key) => {
    let running = underWay.get(key);
    if (!running) {
      running = work(key);
      underWay.set(key, running);
      void running.finally(() => underWay.delete(key)).catch(() => undefined);
    }
    return running;
  };
}
