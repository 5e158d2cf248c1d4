// Pure pieces of the virtualised message list: offsets from measured or estimated row
// heights, and which rows intersect the viewport. Unit-tested in virtual.test.ts.

/** Offsets of each row's top, plus the total height as the last element (length n + 1). */
export function computeOffsets(keys: readonly string[], height: (key: string, i: number) => number): Float64Array {
  const out = new Float64Array(keys.length + 1)
  for (let i = 0; i < keys.length; i++) out[i + 1] = out[i] + height(keys[i], i)
  return out
}

/** Index of the row containing `y` (the last row whose top is <= y). */
export function rowAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1
  if (n <= 0) return 0
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (offsets[mid] <= y) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Rows [start, end) to render for a viewport, with `overscan` pixels either side. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number): [number, number] {
  const n = offsets.length - 1
  if (n <= 0) return [0, 0]
  const start = rowAt(offsets, Math.max(0, top - overscan))
  const end = Math.min(n, rowAt(offsets, top + height + overscan) + 1)
  return [start, end]
}
