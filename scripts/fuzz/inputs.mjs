// Structure-aware hostile inputs for the receiver, generated with fast-check: OTLP protobuf and
// JSON requests (well-formed, over every decode limit, then mutated), gRPC frames, assertions for
// POST /api/check, and odd requests to the other endpoints. Each input is made from (seed, index)
// alone, so any one of a campaign can be replayed (`node scripts/fuzz.mjs --seed S --only I`).
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { anyArray, anyBool, anyInt, anyKvlist, anyString, bigIntArrayRequest, chainRequest, ld, request, runAttribute, span, tag, varint } from './protobuf.mjs';

/** Run ids the inputs use; never the sentinel's. */
const RUNS = ['f1', 'f2', 'f3'];

const hexId = (bytes) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
/** Mostly valid ids, sometimes all zero or of the wrong length (the span is then rejected). */
const idOf = (bytes) => fc.oneof({ arbitrary: hexId(bytes), weight: 8 }, { arbitrary: fc.constant('00'.repeat(bytes)), weight: 1 }, { arbitrary: hexId(bytes + 1), weight: 1 });

/** Sizes picked to land on both sides of every limit. */
const SIZES = [0, 1, 3, 64, 1023, 1024, 1025, 10_000, 10_001, 50_000];
const bigLength = fc.constantFrom(...SIZES);
const text = fc.oneof(
  { arbitrary: fc.string({ maxLength: 20 }), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  { arbitrary: fc.constantFrom(1, 2_000, 1_100_000).map((n) => 'é'.repeat(n)), weight: 1 },
);

/** An AnyValue (protobuf bytes), nested up to `depth` (past 32 the request is refused). */
function protoValue(depth) {
  const leaf = fc.oneof(text.map(anyString), fc.integer().map((n) => anyInt(Math.abs(n))), fc.boolean().map(anyBool));
  if (depth <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.array(protoValue(depth - 1), { maxLength: 3 }).map(anyArray), weight: 1 },
    { arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 5 }), protoValue(depth - 1)), { maxLength: 3 }).map(anyKvlist), weight: 1 },
  );
}

/** An array of `n` ints built directly (no arbitrary per element). */
const intArray = (n) => anyArray(Array.from({ length: n }, (_, i) => anyInt(i)));

/** A value nested `n` levels (arrays of one element). */
function nested(n) {
  let v = anyInt(1);
  for (let i = 0; i < n; i++) v = anyArray([v]);
  return v;
}

const protoSpan = fc
  .record({
    traceId: idOf(16),
    spanId: idOf(8),
    name: text,
    run: fc.option(fc.constantFrom(...RUNS)),
    attrs: fc.array(fc.tuple(fc.string({ maxLength: 8 }), protoValue(2)), { maxLength: 6 }),
    manyAttrs: fc.constantFrom(0, 0, 0, 1025, 3000),
    arrayLength: fc.constantFrom(0, 0, 0, 10, 10_000, 10_001, 40_000),
    nesting: fc.constantFrom(0, 0, 0, 5, 31, 32, 33, 60),
    events: fc.constantFrom(0, 1, 3, 1025),
    links: fc.array(fc.tuple(hexId(16), hexId(8)), { maxLength: 3 }),
    manyLinks: fc.constantFrom(0, 0, 1025),
  })
  .map((s) =>
    span({
      traceId: s.traceId,
      spanId: s.spanId,
      name: s.name,
      attributes: [
        ...(s.run === null ? [] : [runAttribute(s.run)]),
        ...s.attrs,
        ...Array.from({ length: s.manyAttrs }, (_, i) => [`k${i}`, anyInt(i)]),
        ...(s.arrayLength > 0 ? [['list', intArray(s.arrayLength)]] : []),
        ...(s.nesting > 0 ? [['deep', nested(s.nesting)]] : []),
      ],
      events: Array.from({ length: s.events }, (_, i) => ({ name: `e${i}` })),
      links: [...s.links, ...Array.from({ length: s.manyLinks }, (_, i) => [s.traceId, (i + 1).toString(16).padStart(16, '0')])],
    }),
  );

/** Mutations of a valid encoding: the decoder must refuse or accept, never crash. */
function mutate(bytes, m) {
  const b = Buffer.from(bytes);
  switch (m.kind) {
    case 'none':
      return b;
    case 'truncate':
      return b.subarray(0, Math.floor(b.length * m.at));
    case 'flip': {
      for (const [at, v] of m.flips) if (b.length > 0) b[Math.floor(at * b.length)] = v;
      return b;
    }
    case 'append':
      return Buffer.concat([b, tag(m.field, m.wireType), varint(m.value)]);
    case 'wrap':
      // The request inside an unknown field, then a group start with no end.
      return Buffer.concat([ld(99, b), tag(5, 3)]);
  }
  return b;
}

const mutation = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' }), weight: 6 },
  { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'truncate', at })), weight: 1 },
  { arbitrary: fc.array(fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => ({ kind: 'flip', flips })), weight: 2 },
  { arbitrary: fc.record({ field: fc.integer({ min: 1, max: 20 }), wireType: fc.integer({ min: 0, max: 7 }), value: fc.nat() }).map((x) => ({ kind: 'append', ...x })), weight: 1 },
  { arbitrary: fc.constant({ kind: 'wrap' }), weight: 1 },
);

/** `arb` once in `n` inputs, else null. */
const rarely = (arb, n) => fc.oneof({ arbitrary: fc.constant(null), weight: n - 1 }, { arbitrary: arb, weight: 1 });

/** The heavy bodies are the same every time: built once. */
const memo = new Map();
const once = (key, make) => {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key);
};

/** Special requests from the campaign: a 15-million element array, a chain of linked traces. */
const special = fc.oneof(
  fc.constant({ build: 'bigArray' }),
  fc.integer({ min: 100, max: 8000 }).map((n) => ({ build: 'chain', n })),
);

const encoding = fc.constantFrom('identity', 'identity', 'gzip', 'gzip-corrupt');

function encode(body, enc) {
  if (enc === 'gzip') return { body: gzipSync(body), headers: { 'content-encoding': 'gzip' } };
  if (enc === 'gzip-corrupt') {
    const z = gzipSync(body);
    z[Math.floor(z.length / 2)] ^= 0xff;
    return { body: z, headers: { 'content-encoding': 'gzip' } };
  }
  return { body, headers: {} };
}

const protobufInput = fc
  .record({ spans: fc.array(protoSpan, { minLength: 0, maxLength: 4 }), mutation, encoding, special: rarely(special, 16) })
  .map(({ spans, mutation: m, encoding: e, special: sp }) => {
    let body;
    if (sp?.build === 'bigArray') return { kind: 'otlp-protobuf', via: 'http', body: once('bigArray', () => gzipSync(bigIntArrayRequest(15_000_000, { run: 'f1' }))), headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, note: 'bigArray' };
    else if (sp?.build === 'chain') body = chainRequest(sp.n, 'f2'); // every chain starts at trace 1: they overlap on purpose
    else body = mutate(request(spans), m);
    const { body: sent, headers } = encode(body, sp ? 'gzip' : e);
    return { kind: 'otlp-protobuf', via: 'http', body: sent, headers: { 'content-type': 'application/x-protobuf', ...headers }, note: sp?.build ?? m.kind };
  });

/** OTLP/JSON: a JSON value for AnyValue. */
function jsonValue(depth) {
  const leaf = fc.oneof(
    text.map((s) => ({ stringValue: s })),
    fc.integer().map((n) => ({ intValue: String(n) })),
    fc.boolean().map((b) => ({ boolValue: b })),
    fc.double().map((d) => ({ doubleValue: Number.isFinite(d) ? d : String(d) })),
    fc.jsonValue({ maxDepth: 2 }),
  );
  if (depth <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.array(jsonValue(depth - 1), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })), weight: 1 },
    { arbitrary: fc.array(fc.record({ key: fc.string({ maxLength: 5 }), value: jsonValue(depth - 1) }), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })), weight: 1 },
  );
}

const jsonSpan = fc
  .record({
    traceId: idOf(16),
    spanId: idOf(8),
    name: fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
    run: fc.option(fc.constantFrom(...RUNS)),
    attrs: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: jsonValue(2) }), { maxLength: 6 }),
    arrayLength: bigLength,
    manyAttrs: fc.constantFrom(0, 0, 1025),
    nesting: fc.constantFrom(0, 0, 10, 33, 200),
    extra: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 })),
  })
  .map((s) => {
    let deep = { intValue: 1 };
    for (let i = 0; i < s.nesting; i++) deep = { arrayValue: { values: [deep] } };
    return {
      ...(s.extra ?? {}),
      traceId: s.traceId,
      spanId: s.spanId,
      name: s.name,
      attributes: [
        ...(s.run === null ? [] : [{ key: 'test.run.id', value: { stringValue: s.run } }]),
        ...s.attrs,
        ...Array.from({ length: s.manyAttrs }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })),
        ...(s.arrayLength > 0 ? [{ key: 'list', value: { arrayValue: { values: Array.from({ length: s.arrayLength }, (_, i) => ({ intValue: i })) } } }] : []),
        ...(s.nesting > 0 ? [{ key: 'deep', value: deep }] : []),
      ],
    };
  });

const jsonMutation = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' }), weight: 6 },
  { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'truncate', at })), weight: 1 },
  { arbitrary: fc.string({ maxLength: 4 }).map((s) => ({ kind: 'insert', s })), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => ({ kind: 'deep', n })), weight: 1 },
);

const jsonInput = fc
  .record({ spans: fc.array(jsonSpan, { maxLength: 4 }), mutation: jsonMutation, encoding, charset: fc.boolean() })
  .map(({ spans, mutation: m, encoding: e, charset }) => {
    let textBody = JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'fuzz' }, spans }] }] });
    if (m.kind === 'truncate') textBody = textBody.slice(0, Math.floor(textBody.length * m.at));
    else if (m.kind === 'insert') textBody = textBody.slice(0, textBody.length >> 1) + m.s + textBody.slice(textBody.length >> 1);
    else if (m.kind === 'deep') textBody = `{"resourceSpans":[],"x":${'['.repeat(m.n)}${']'.repeat(m.n)}}`;
    const { body, headers } = encode(Buffer.from(textBody), e);
    return { kind: 'otlp-json', via: 'http', body, headers: { 'content-type': charset ? 'application/json; charset=utf-8' : 'application/json', ...headers }, note: m.kind };
  });

/** gRPC: the 5-byte prefix (compressed flag, length) and a message, honest or not. */
const grpcInput = fc
  .record({ spans: fc.array(protoSpan, { maxLength: 3 }), mutation, compressed: fc.constantFrom('no', 'no', 'gzip', 'flag-only'), lengthDelta: fc.constantFrom(0, 0, 0, -1, 1, 1000), special: rarely(special, 16) })
  .map(({ spans, mutation: m, compressed, lengthDelta, special: sp }) => {
    let message = sp?.build === 'bigArray' ? once('bigArrayGrpc', () => bigIntArrayRequest(2_000_000, { run: 'f1' })) : sp?.build === 'chain' ? chainRequest(sp.n, 'f3') : mutate(request(spans), m);
    if (compressed === 'gzip') message = gzipSync(message);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt8(compressed === 'no' ? 0 : 1, 0);
    prefix.writeUInt32BE(Math.max(0, message.length + lengthDelta), 1);
    return { kind: 'grpc', via: 'grpc', frame: Buffer.concat([prefix, message]), encoding: compressed === 'no' ? undefined : 'gzip', note: `${compressed}/${lengthDelta}/${sp?.build ?? m.kind}` };
  });

/** Assertions: the grammar's pieces, nested and chained to any depth, plus plain token soup. */
const atom = fc.constantFrom('.a = 1', 'span.big = "x"', 'name = "op"', 'status = error', 'duration > 1ms', '.list', 'kind = server', 'event:name = "e0"', 'link:traceID != ""', '.a =~ "a.*"', 'nil = .x');
const tokens = fc.array(fc.constantFrom('{', '}', '(', ')', '&&', '||', '!', '-', '+', '>>', '>', '~', '.a', '1', '"x"', '=', 'some', 'no', 'exactly', 'after', 'within', '5s', '|', 'count()', '"\\u0000"', '`raw`'), { maxLength: 40 }).map((t) => t.join(' '));

function deepAssertion(shape, n, a) {
  switch (shape) {
    case 'parens': return `some { ${'('.repeat(n)}${a}${')'.repeat(n)} }`;
    case 'not': return `some { ${'!'.repeat(n)}(${a}) }`;
    case 'and': return `some { ${Array(n).fill(a).join(' && ')} }`;
    case 'plus': return `some { ${Array(n).fill('1').join(' + ')} = .a }`;
    case 'desc': return `some ${Array(n).fill(`{ ${a} }`).join(' >> ')}`;
    case 'or': return `some ${Array(n).fill(`{ ${a} }`).join(' || ')}`;
    case 'long': return `some { span.big = "${'x'.repeat(n * 100)}" }`;
  }
  return `some { ${a} }`;
}

const assertionInput = fc
  .record({
    form: fc.constantFrom('deep', 'deep', 'soup', 'plain'),
    shape: fc.constantFrom('parens', 'not', 'and', 'plus', 'desc', 'or', 'long'),
    n: fc.constantFrom(1, 10, 100, 255, 256, 257, 1000, 3000, 10_000),
    atom,
    soup: tokens,
    run: fc.constantFrom(...RUNS, 'sentinel'),
  })
  .map(({ form, shape, n, atom: a, soup, run }) => {
    const assertion = form === 'soup' ? soup : form === 'plain' ? `exactly 1 { ${a} }` : deepAssertion(shape, n, a);
    // The check endpoint reads at most 256 KiB: longer is refused before parsing.
    return { kind: 'assertion', via: 'http', method: 'POST', path: '/api/check', body: Buffer.from(JSON.stringify({ run, assertion, timeoutMs: 50, settleMs: 20 })), headers: { 'content-type': 'application/json' }, note: `${form}/${shape}/${n}` };
  });

const miscInput = fc.oneof(
  fc.tuple(fc.constantFrom('GET', 'HEAD', 'DELETE', 'POST', 'PUT'), fc.constantFrom('/api/runs', '/api/runs/f1/spans', '/api/runs/%zz/spans', '/api/runs/f2', '/healthz', '/nope', '/api/stats', '/api/runs/f3/close', '/api/open-spans', '/v1/logs', '/v1/metrics'), fc.option(fc.jsonValue({ maxDepth: 3 }))).map(([method, path, json]) => ({
    kind: 'misc',
    via: 'http',
    method,
    path,
    body: json === null || method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : Buffer.from(JSON.stringify(json)),
    headers: { 'content-type': 'application/json' },
    note: `${method} ${path}`,
  })),
  fc.constantFrom('text/plain', 'application/protobuf; x=1', '').map((type) => ({ kind: 'misc', via: 'http', method: 'POST', path: '/v1/traces', body: Buffer.from('x'), headers: { 'content-type': type }, note: `content-type ${type}` })),
);

/** Every kind of input, weighted toward the decoders. */
export const anyInput = fc.oneof(
  { arbitrary: protobufInput, weight: 4 },
  { arbitrary: jsonInput, weight: 3 },
  { arbitrary: grpcInput, weight: 2 },
  { arbitrary: assertionInput, weight: 3 },
  { arbitrary: miscInput, weight: 1 },
);

/** Input `index` of the campaign with `seed`: the same every time. */
export function inputAt(seed, index) {
  return fc.sample(anyInput, { seed: (seed * 1_000_003 + index) | 0, numRuns: 1 })[0];
}
