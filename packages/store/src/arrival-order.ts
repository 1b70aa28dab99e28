/**
 * A run's rows in arrival order. Rows are reused, so arrival order is each row's `seq`, and sorting
 * a million rows with a comparator takes a few hundred milliseconds in one piece. Instead each row's
 * key packs its seq above its row number in one double, and a typed-array sort (native, several
 * times faster) orders the keys; the row and the seq it had are read back from each key, so a
 * reader can tell a row since freed or reused (its seq changed) from the span it held.
 */
export interface ArrivalOrder {
  readonly length: number;
  /** The row of the i-th span to arrive. */
  row(i: number): number;
  /** That span's seq when the order was taken (compare with the row's seq now). */
  seq(i: number): number;
}

/** Largest integer a double holds exactly, plus one. */
const EXACT = 2 ** 53;

export function arrivalOrder(rows: readonly number[], seqOf: Float64Array, rowExtent: number): ArrivalOrder {
  const rowSpan = 2 ** Math.max(1, Math.ceil(Math.log2(rowExtent + 1)));
  let maxSeq = 0;
  for (const row of rows) maxSeq = Math.max(maxSeq, seqOf[row]!);
  if ((maxSeq + 1) * rowSpan <= EXACT) {
    const keys = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) keys[i] = seqOf[rows[i]!]! * rowSpan + rows[i]!;
    keys.sort();
    return { length: keys.length, row: (i) => keys[i]! % rowSpan, seq: (i) => Math.floor(keys[i]! / rowSpan) };
  }
  // Billions of spans stored over the receiver's life and millions of rows: the keys would not be
  // exact, so the comparator sort it is.
  const sorted = [...rows].sort((a, b) => seqOf[a]! - seqOf[b]!);
  const seqs = sorted.map((row) => seqOf[row]!);
  return { length: sorted.length, row: (i) => sorted[i]!, seq: (i) => seqs[i]! };
}
