// Types of protobuf.mjs, for the TypeScript tests that import it.
export function varint(n: number): Buffer;
export function tag(field: number, wireType: number): Buffer;
export function ld(field: number, payload: Uint8Array | string): Buffer;
export function vf(field: number, n: number): Buffer;
export function anyString(s: string): Buffer;
export function anyInt(n: number): Buffer;
export function anyBool(b: boolean): Buffer;
export function anyArray(elements: Buffer[]): Buffer;
export function anyKvlist(entries: [string, Buffer][]): Buffer;
export function keyValue(key: string, anyValue: Buffer): Buffer;
export interface SpanFields {
  traceId: string;
  spanId: string;
  name?: string;
  attributes?: [string, Buffer][];
  links?: [string, string][];
  events?: { name?: string; attributes?: [string, Buffer][] }[];
  extra?: Buffer[];
}
export function span(fields: SpanFields): Buffer;
export function request(spans: Buffer[]): Buffer;
export function runAttribute(run: string): [string, Buffer];
export function bigIntArrayRequest(n: number, options?: { traceId?: string; spanId?: string; run?: string }): Buffer;
export function chainRequest(n: number, run?: string, offset?: number): Buffer;
