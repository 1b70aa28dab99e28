import { describe, expect, it } from 'vitest';
import { parseHeader, resolveTempoOptions, TempoOptionsError, versionLine } from './options.js';
import { linkQueries, linkQuery, runQueries, traceqlString } from './queries.js';

describe('options', () => {
  it('clamps the poll interval to 10 ms – 30 s and derives the grace from it', () => {
    expect(resolveTempoOptions({ url: 'http://t:3200/', pollIntervalMs: 1 })).toMatchObject({ url: 'http://t:3200', pollIntervalMs: 10, horizonGraceMs: 1020 });
    expect(resolveTempoOptions({ url: 'http://t:3200', pollIntervalMs: 600_000 }).pollIntervalMs).toBe(30_000);
    expect(resolveTempoOptions({ url: 'http://t:3200' })).toMatchObject({ pollIntervalMs: 1000, horizonGraceMs: 3000, searchLimit: 10_000, traceApi: 'v2', maxBackoffMs: 10_000 });
  });

  it('refuses what cannot work', () => {
    expect(() => resolveTempoOptions({ url: 'tempo:3200' })).toThrow(TempoOptionsError);
    expect(() => resolveTempoOptions({ url: 'ftp://tempo' })).toThrow(/http\(s\)/);
    expect(() => resolveTempoOptions({ url: 'http://t', visibilityLagMs: -1 })).toThrow(/visibilityLagMs/);
    expect(() => resolveTempoOptions({ url: 'http://t', searchLimit: 0 })).toThrow(/searchLimit/);
  });

  it('reads the release line from buildinfo versions', () => {
    expect(['2.6.0', 'v2.10.3', '3.0.3', 'v4.1.0', 'main-1a2b', undefined, '1.5.0'].map(versionLine)).toEqual(['2', '2', '3', '3', undefined, undefined, undefined]);
  });

  it('parses curl-style headers', () => {
    expect(parseHeader('X-Scope-OrgID: tenant-1')).toEqual(['X-Scope-OrgID', 'tenant-1']);
    expect(parseHeader('Authorization:Bearer a:b')).toEqual(['Authorization', 'Bearer a:b']);
    expect(() => parseHeader('no colon')).toThrow(/Name: value/);
    expect(() => parseHeader(': v')).toThrow(TempoOptionsError);
  });
});

describe('queries', () => {
  it('escapes quotes and backslashes only', () => {
    expect(traceqlString('a"b\\c ✓')).toBe('"a\\"b\\\\c ✓"');
    expect(() => traceqlString('a\u0000')).toThrow(/control characters/);
  });

  it('searches span and resource tags, and links in batches', () => {
    expect(runQueries('r-1')).toEqual(['{ span.test.run.id = "r-1" }', '{ resource.test.run.id = "r-1" }']);
    expect(linkQuery(['a', 'b'])).toBe('{ link:traceID = "a" || link:traceID = "b" }');
    expect(linkQueries(Array.from({ length: 41 }, (_, i) => String(i))).map((q) => q.split('||').length)).toEqual([20, 20, 1]);
    expect(linkQueries([])).toEqual([]);
  });
});
