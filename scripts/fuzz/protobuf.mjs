// Hand-written OTLP protobuf encoding for hostile inputs: what no SDK would send (a 15-million
// element array, wrong wire types, truncations) built directly as bytes, without any package of the
// project, so the fuzzer and the tests exercise the decoder from outside.

/** A varint (n < 2^53). */
export function varint(n) {
  const out = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

export const tag = (field, wireType) => varint(field * 8 + wireType);

/** A length-delimited field. */
export const ld = (field, payload) => Buffer.concat([tag(field, 2), varint(payload.length), Buffer.isBuffer(payload) ? payload : Buffer.from(payload)]);

/** A varint field. */
export const vf = (field, n) => Buffer.concat([tag(field, 0), varint(n)]);

export const anyString = (s) => ld(1, Buffer.from(s));
export const anyInt = (n) => vf(3, n);
export const anyBool = (b) => vf(2, b ? 1 : 0);
export const anyArray = (elements) => ld(5, Buffer.concat(elements.map((e) => ld(1, e))));
export const anyKvlist = (entries) => ld(6, Buffer.concat(entries.map(([k, v]) => ld(1, keyValue(k, v)))));
export const keyValue = (key, anyValue) => Buffer.concat([ld(1, Buffer.from(key)), ld(2, anyValue)]);

/** A Span message; ids as hex, `attributes` as [key, AnyValue bytes], `links` as [traceIdHex, spanIdHex]. */
export function span({ traceId, spanId, name = 'op', attributes = [], links = [], events = [], extra = [] }) {
  return Buffer.concat([
    ld(1, Buffer.from(traceId, 'hex')),
    ld(2, Buffer.from(spanId, 'hex')),
    ld(5, Buffer.from(name)),
    ...attributes.map(([k, v]) => ld(9, keyValue(k, v))),
    ...events.map((e) => ld(11, Buffer.concat([ld(2, Buffer.from(e.name ?? 'event')), ...(e.attributes ?? []).map(([k, v]) => ld(3, keyValue(k, v)))]))),
    ...links.map(([t, s]) => ld(13, Buffer.concat([ld(1, Buffer.from(t, 'hex')), ld(2, Buffer.from(s, 'hex'))]))),
    ...extra,
  ]);
}

/** An ExportTraceServiceRequest of one resource and scope holding `spans` (Span message bytes). */
export const request = (spans) => ld(1, ld(2, Buffer.concat(spans.map((s) => ld(2, s)))));

export const runAttribute = (run) => ['test.run.id', anyString(run)];

/**
 * One span whose attribute `big` is an array of `n` ints (`1`), built in one allocation: 4 bytes per
 * element, so 15 million elements are 60 MB, and gzip makes them about 58 KB.
 */
export function bigIntArrayRequest(n, { traceId = '0a'.repeat(16), spanId = '0b'.repeat(8), run = 'hostile' } = {}) {
  const element = Buffer.from([0x0a, 0x02, 0x18, 0x01]); // AnyValue{ int_value: 1 } as an ArrayValue element
  const arrayLen = 4 * n;
  const anyValueLen = 1 + varint(arrayLen).length + arrayLen; // field 5 (array_value)
  const kvLen = ld(1, Buffer.from('big')).length + 1 + varint(anyValueLen).length + anyValueLen;
  const head = Buffer.concat([ld(1, Buffer.from(traceId, 'hex')), ld(2, Buffer.from(spanId, 'hex')), ld(5, Buffer.from('huge')), ld(9, keyValue(...runAttribute(run)))]);
  const spanLen = head.length + 1 + varint(kvLen).length + kvLen;
  const ssLen = 1 + varint(spanLen).length + spanLen;
  const rsLen = 1 + varint(ssLen).length + ssLen;
  const prefix = Buffer.concat([
    tag(1, 2), varint(rsLen), // resource_spans
    tag(2, 2), varint(ssLen), // scope_spans
    tag(2, 2), varint(spanLen), // spans
    head,
    tag(9, 2), varint(kvLen), ld(1, Buffer.from('big')), // attributes: KeyValue{ key
    tag(2, 2), varint(anyValueLen), // value: AnyValue{
    tag(5, 2), varint(arrayLen), // array_value: ArrayValue{ values...
  ]);
  const out = Buffer.allocUnsafe(prefix.length + arrayLen);
  prefix.copy(out, 0);
  out.fill(element, prefix.length);
  return out;
}

const hex = (i, bytes) => (i + 1).toString(16).padStart(bytes * 2, '0');

/** `n` traces, each one span linking to the previous trace's span; the first tagged with `run`. */
export function chainRequest(n, run = 'chain', offset = 0) {
  const spans = [];
  for (let i = 0; i < n; i++) {
    spans.push(
      span({
        traceId: hex(offset + i, 16),
        spanId: hex(offset + i, 8),
        name: 'hop',
        attributes: i === 0 ? [runAttribute(run)] : [],
        links: i === 0 ? [] : [[hex(offset + i - 1, 16), hex(offset + i - 1, 8)]],
      }),
    );
  }
  return request(spans);
}
