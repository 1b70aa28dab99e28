/**
 * A run's rows in arrival order. Rows are reused, so arrival order is each row's `seq`, and sorting
 * a million rows with a comparator takes a few hundred milliseconds in one piece. A run whose
 * traces came one after another is listed in order already and is only checked; one whose seqs are
 * dense (few other spans arrived between its first and last) is ordered by placing each row at its
 * seq; otherwise each row's key packs its seq above its row number in one double, and a typed-array
 * sort (native, several times faster) orders the keys. The row and the seq it had are read back from each key,
 * so a reader can tell a row since freed or reused (its seq changed) from the span it held.
 */
export interface ArrivalOrder {
  /** The rows, first arrived first. */
  readonly rows: readonly number[];
  /** Each row's seq when the order was taken (compare with the row's seq now). */
  readonly seqs: Float64Array;
}

/** Largest integer a double holds exactly, plus one. */
const EXACT = 2 ** 53;
/** Rows are placed by seq (not sorted) when the seqs they span are fewer than this many per row. */
const DENSE = 4;

/** Rows ordered by placing each at its seq's offset from `minSeq` in a table of `range` slots. */
function placed(rows: readonly number[], seqs: Float64Array, minSeq: number, range: number): ArrivalOrder {
  const at = new Int32Array(range).fill(-1);
  for (let i = 0; i < rows.length; i++) at[seqs[i]! - minSeq] = i;
  const sorted: number[] = new Array(rows.length);
  const sortedSeqs = new Float64Array(rows.length);
  let k = 0;
  for (let s = 0; s < range; s++) {
    const i = at[s]!;
    if (i < 0) continue;
    sorted[k] = rows[i]!;
    sortedSeqs[k++] = minSeq + s;
  }
  return { rows: sorted, seqs: sortedSeqs };
}

/** Just the rows of `arrivalOrder`: a run listed in order already costs one pass and no allocation. */
export function arrivalRows(rows: readonly number[], seqOf: Float64Array, rowExtent: number): readonly number[] {
  for (let i = 1; i < rows.length; i++) {
    if (seqOf[rows[i]!]! < seqOf[rows[i - 1]!]!) return arrivalOrder(rows, seqOf, rowExtent).rows;
  }
  return rows;
}

export function arrivalOrder(rows: readonly number[], seqOf: Float64Array, rowExtent: number): ArrivalOrder {
  const n = rows.length;
  const seqs = new Float64Array(n);
  let inOrder = true;
  let maxSeq = 0;
  let minSeq = Infinity;
  for (let i = 0; i < n; i++) {
    const seq = seqOf[rows[i]!]!;
    seqs[i] = seq;
    if (i > 0 && seq < seqs[i - 1]!) inOrder = false;
    if (seq > maxSeq) maxSeq = seq;
    if (seq < minSeq) minSeq = seq;
  }
  if (inOrder) return { rows, seqs };
  // Seqs are unique: when few other spans came between its first and last, each row is put
  // at its seq's place in one pass (a run checked while it is written mostly is such a run).
  if (maxSeq - minSeq < DENSE * n) return placed(rows, seqs, minSeq, maxSeq - minSeq + 1);
  const rowSpan = 2 ** Math.max(1, Math.ceil(Math.log2(rowExtent + 1)));
  if ((maxSeq + 1) * rowSpan <= EXACT) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = seqs[i]! * rowSpan + rows[i]!;
    keys.sort();
    const sorted: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      sorted[i] = keys[i]! % rowSpan;
      seqs[i] = Math.floor(keys[i]! / rowSpan);
    }
    return { rows: sorted, seqs };
  }
  // Billions of spans stored over the receiver's life and millions of rows: the keys would not be
  // exact, so the comparator sort it is.
  const sorted = [...rows].sort((a, b) => seqOf[a]! - seqOf[b]!);
  return { rows: sorted, seqs: Float64Array.from(sorted, (row) => seqOf[row]!) };
}
