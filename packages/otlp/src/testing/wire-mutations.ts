/*
 * Structure-aware mutations of protobuf bytes for the differential tests (not part of the package
 * build). A request is parsed into a tree of fields (a length-delimited field is a message when its
 * bytes re-encode identically as one, else a leaf), mutated there (fields repeated, removed, given
 * the wrong wire type, unknown fields and groups inserted, ids zeroed or cut, invalid UTF-8, deep
 * nesting), and encoded again with the lengths fixed up; byte flips and truncations come after.
 * Every choice is taken from the numbers of a Mutation, so fast-check can replay and shrink them.
 */

export interface WireField {
  field: number;
  wire: number;
  /** The payload: varint or fixed bytes as sent, or a leaf's content. */
  bytes: Uint8Array;
  /** For a length-delimited field read as a message. */
  children?: WireField[];
}

const OPS = ['repeat', 'remove', 'wrongWire', 'unknown', 'group', 'zeroId', 'cutId', 'badUtf8', 'bigString', 'nest', 'swap', 'flip', 'truncate'] as const;
export type MutationOp = (typeof OPS)[number];
export const MUTATION_OPS: readonly MutationOp[] = OPS;

export interface Mutation {
  op: MutationOp;
  /** Which node or byte. */
  at: number;
  /** A second choice (a field, a value). */
  pick: number;
}

/** A non-negative integer as protobuf varint bytes (hand-built wire format in tests). */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function readVarint(b: Uint8Array, pos: number): [number, number] | undefined {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= b.length) return undefined;
    const x = b[pos++]!;
    n += (x & 0x7f) * scale;
    if (x < 0x80) return [n, pos];
    scale *= 128;
  }
  return undefined;
}

/** The fields of a message, or undefined when the bytes are not one (exactly, canonically). */
export function parseMessage(b: Uint8Array, depth = 0): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < b.length) {
    const t = readVarint(b, pos);
    if (t === undefined || t[0] === 0 || t[0] > 0xffffffff) return undefined;
    const [tag, afterTag] = t;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    let end: number;
    let start = afterTag;
    if (wire === 0) {
      const v = readVarint(b, afterTag);
      if (v === undefined) return undefined;
      end = v[1];
    } else if (wire === 1) end = afterTag + 8;
    else if (wire === 5) end = afterTag + 4;
    else if (wire === 2) {
      const l = readVarint(b, afterTag);
      if (l === undefined) return undefined;
      start = l[1];
      end = start + l[0];
    } else return undefined;
    if (end > b.length) return undefined;
    const bytes = b.subarray(start, end);
    const f: WireField = { field, wire, bytes };
    if (wire === 2 && depth < 40 && bytes.length > 0) {
      const children = parseMessage(bytes, depth + 1);
      if (children !== undefined && children.length > 0 && same(encodeMessage(children), bytes)) f.children = children;
    }
    fields.push(f);
    pos = end;
  }
  return fields;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function encodeMessage(fields: readonly WireField[]): Uint8Array {
  const out: number[] = [];
  for (const f of fields) {
    out.push(...varint(f.field * 8 + f.wire));
    const payload = f.children !== undefined ? encodeMessage(f.children) : f.bytes;
    if (f.wire === 2) out.push(...varint(payload.length));
    for (const x of payload) out.push(x);
  }
  return Uint8Array.from(out);
}

/** Every message in the tree (the root first), each as its list of fields. */
function messages(root: WireField[]): WireField[][] {
  const all: WireField[][] = [root];
  for (let i = 0; i < all.length; i++) for (const f of all[i]!) if (f.children) all.push(f.children);
  return all;
}

function leaves(root: WireField[], keep: (f: WireField) => boolean): WireField[] {
  return messages(root).flatMap((m) => m.filter((f) => f.children === undefined && keep(f)));
}

const BAD_UTF8 = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]];

/** Applies one mutation to the tree (or, for flip and truncate, to its bytes). */
function mutateTree(root: WireField[], m: Mutation): void {
  const all = messages(root);
  const msg = all[m.at % all.length]!;
  const i = msg.length === 0 ? 0 : m.pick % msg.length;
  const f = msg[i];
  switch (m.op) {
    case 'repeat':
      if (f) msg.splice(i + 1, 0, structuredClone(f));
      return;
    case 'remove':
      if (f) msg.splice(i, 1);
      return;
    case 'wrongWire':
      if (f?.wire === 2) msg[i] = { field: f.field, wire: [0, 1, 5][m.pick % 3]!, bytes: Uint8Array.from([[1], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4]][m.pick % 3]!) };
      else if (f) msg[i] = { field: f.field, wire: 2, bytes: Uint8Array.from([0x0a, 0x01, 0x41]) };
      return;
    case 'unknown':
      msg.splice(i, 0, { field: 17 + (m.pick % 20), wire: [0, 1, 2, 5][m.pick % 4]!, bytes: Uint8Array.from([[0x96, 0x01], [1, 2, 3, 4, 5, 6, 7, 8], [0x61, 0x62], [1, 2, 3, 4]][m.pick % 4]!) });
      return;
    case 'group': {
      // A group is a start tag, fields, an end tag: spelled as raw bytes after a varint field.
      const n = 17 + (m.pick % 5);
      const end = m.pick % 7 === 0 ? n + 1 : n; // sometimes a mismatched end
      msg.splice(i, 0, { field: n, wire: 0, bytes: Uint8Array.from([0x01, ...varint(n * 8 + 3), 0x08, 0x05, ...varint(end * 8 + 4)]) });
      return;
    }
    case 'zeroId':
    case 'cutId': {
      const ids = leaves(root, (x) => x.wire === 2 && (x.bytes.length === 16 || x.bytes.length === 8));
      const id = ids[m.pick % Math.max(1, ids.length)];
      if (id) id.bytes = m.op === 'zeroId' ? new Uint8Array(id.bytes.length) : id.bytes.slice(0, m.pick % id.bytes.length);
      return;
    }
    case 'badUtf8': {
      const strings = leaves(root, (x) => x.wire === 2);
      const s = strings[m.pick % Math.max(1, strings.length)];
      if (s) s.bytes = Uint8Array.from([...s.bytes.subarray(0, m.at % (s.bytes.length + 1)), ...BAD_UTF8[m.pick % BAD_UTF8.length]!]);
      return;
    }
    case 'bigString': {
      const strings = leaves(root, (x) => x.wire === 2);
      const s = strings[m.pick % Math.max(1, strings.length)];
      if (s) s.bytes = Buffer.from('é'.repeat(1 + (m.at % 12)) + 'x'.repeat(m.pick % 9));
      return;
    }
    case 'nest': {
      // Wraps a message in n AnyValue array levels (field 5, then element field 1): deep values.
      if (!f?.children) return;
      let inner = f.children;
      for (let d = 0; d < 20 + (m.at % 16); d++) inner = [{ field: 5, wire: 2, bytes: new Uint8Array(), children: [{ field: 1, wire: 2, bytes: new Uint8Array(), children: inner }] }];
      f.children = inner;
      return;
    }
    case 'swap':
      if (msg.length > 1) {
        const j = m.at % msg.length;
        [msg[i], msg[j]] = [msg[j]!, msg[i]!];
      }
      return;
  }
}

/** The bytes after the mutations, in order. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes;
  for (const m of mutations) {
    if (m.op === 'flip') {
      if (out.length === 0) continue;
      out = out.slice();
      const at = m.at % out.length;
      out[at] = out[at]! ^ (1 << (m.pick % 8));
    } else if (m.op === 'truncate') out = out.slice(0, m.at % (out.length + 1));
    else {
      const tree = parseMessage(out);
      if (tree === undefined) continue;
      mutateTree(tree, m);
      out = encodeMessage(tree);
    }
  }
  return out;
}
