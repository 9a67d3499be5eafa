// One binary search for every sorted layer (tokens, sentences, mentions, quotes are sorted by start).

/** The first index whose item is not `before` the sought position; items.length when all are. */
export function lowerBound<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(items[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
