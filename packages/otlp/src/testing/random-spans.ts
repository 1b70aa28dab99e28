import type { AnyValue, Attributes, InstrumentationScope, Resource, Span, SpanEvent, SpanLink, SpanKind, StatusCode } from '@tracecheck/model';

/*
 * Seeded random spans for the decoder tests (not part of the package build): every attribute type,
 * nested values, 64-bit edge values, unicode, shared resource and scope objects. A seed reproduces a
 * failing case.
 */

/** mulberry32: small, fast, good enough to explore inputs; deterministic per seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class RandomSpans {
  constructor(readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** Lowercase hex of n random bytes, never all zero (an all-zero id is invalid). */
  id(n: number): string {
    const b = this.bytes(n);
    b[0] = b[0]! | 1;
    return Buffer.from(b).toString('hex');
  }

  /** ASCII mostly, with multi-byte and astral characters (never lone surrogates: UTF-8 cannot carry them). */
  string(): string {
    const len = this.int(12);
    let s = '';
    for (let i = 0; i < len; i++) {
      const r = this.next();
      if (r < 0.7) s += String.fromCharCode(32 + this.int(95));
      else if (r < 0.85) s += this.pick(['é', 'ß', 'Ω', '→', '中', '文', '\n', '"', '\\', '\u0000']);
      else s += String.fromCodePoint(0x1f300 + this.int(200));
    }
    return s;
  }

  u64(): bigint {
    return this.pick([0n, 1n, (1n << 64n) - 1n, 1_544_712_660_000_000_000n + BigInt(this.int(1e9)), BigInt(this.int(2 ** 31)) << 32n]);
  }

  value(depth: number): AnyValue {
    const kinds = depth < 3 ? 8 : 6;
    switch (this.int(kinds)) {
      case 0:
        return { type: 'string', value: this.string() };
      case 1:
        return { type: 'bool', value: this.next() < 0.5 };
      case 2:
        return {
          type: 'int',
          value: this.pick([0n, -1n, 2500n, (1n << 53n) + 1n, -(1n << 63n), (1n << 63n) - 1n, BigInt(this.int(1e6)) - 500_000n]),
        };
      case 3:
        return { type: 'double', value: this.pick([0.5, -1.25e-300, 3.14159, 1e300, NaN, Infinity, -Infinity, -0, 2500]) };
      case 4:
        return { type: 'bytes', value: this.bytes(this.int(6)) };
      case 5:
        return { type: 'empty' };
      case 6:
        return { type: 'array', value: Array.from({ length: this.int(4) }, () => this.value(depth + 1)) };
      default:
        return { type: 'kvlist', value: this.attributes(depth + 1, 3) };
    }
  }

  attributes(depth = 0, max = 6): Attributes {
    const m = new Map<string, AnyValue>();
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) m.set(this.pick(['a', 'b', 'http.method', 'amount', 'test.run.id', 'k' + this.int(50), '']), this.value(depth));
    return m;
  }

  resource(): Resource {
    return { attributes: this.attributes(), droppedAttributesCount: this.int(3), schemaUrl: this.pick(['', 'https://opentelemetry.io/schemas/1.24.0']) };
  }

  scope(): InstrumentationScope {
    return {
      name: this.pick(['', 'my.library', '@opentelemetry/instrumentation-http']),
      version: this.pick(['', '1.0.0']),
      attributes: this.attributes(0, 2),
      droppedAttributesCount: this.int(2),
      schemaUrl: this.pick(['', 'https://opentelemetry.io/schemas/1.21.0']),
    };
  }

  event(): SpanEvent {
    return { timeUnixNano: this.u64(), name: this.string(), attributes: this.attributes(0, 3), droppedAttributesCount: this.int(3) };
  }

  link(): SpanLink {
    return {
      traceId: this.id(16),
      spanId: this.id(8),
      traceState: this.pick(['', 'rojo=00f067aa0ba902b7']),
      attributes: this.attributes(0, 2),
      droppedAttributesCount: this.int(2),
      flags: this.pick([0, 1, 0x301, 0xffffffff]),
    };
  }

  span(resource: Resource, scope: InstrumentationScope): Span {
    return {
      traceId: this.id(16),
      spanId: this.id(8),
      parentSpanId: this.next() < 0.3 ? '' : this.id(8),
      traceState: this.pick(['', 'congo=t61rcWkgMzE']),
      flags: this.pick([0, 1, 0x101, 0x301]),
      name: this.string(),
      kind: this.int(6) as SpanKind,
      startTimeUnixNano: this.u64(),
      endTimeUnixNano: this.u64(),
      attributes: this.attributes(),
      droppedAttributesCount: this.int(3),
      events: Array.from({ length: this.int(3) }, () => this.event()),
      droppedEventsCount: this.int(2),
      links: Array.from({ length: this.int(3) }, () => this.link()),
      droppedLinksCount: this.int(2),
      status: { code: this.int(3) as StatusCode, message: this.pick(['', 'boom', 'card_declined']) },
      resource,
      scope,
    };
  }

  /** Spans of a few resources and scopes, each group's spans sharing its resource and scope objects. */
  request(): Span[] {
    const spans: Span[] = [];
    const resources = 1 + this.int(3);
    for (let r = 0; r < resources; r++) {
      const resource = this.resource();
      const scopes = 1 + this.int(3);
      for (let s = 0; s < scopes; s++) {
        const scope = this.scope();
        const n = 1 + this.int(4);
        for (let i = 0; i < n; i++) spans.push(this.span(resource, scope));
      }
    }
    return spans;
  }
}

/** Random spans for one request, reproducible from the seed. */
export function randomSpans(seed: number): Span[] {
  return new RandomSpans(rng(seed)).request();
}
