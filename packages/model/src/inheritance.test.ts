import { describe, expect, it } from 'vitest';
import { type InheritanceGraph, type InheritingTrace, NO_RUNS, reinherit } from './inheritance.js';

/** Traces by key, each with its tags and the keys of the traces its untagged spans link to. */
function graphOf(traces: Record<string, { tags?: string[]; linksTo?: string[] }>): { graph: InheritanceGraph<string>; records: Map<string, InheritingTrace> } {
  const records = new Map<string, InheritingTrace>();
  for (const [key, t] of Object.entries(traces)) records.set(key, { runs: NO_RUNS, tagged: new Map((t.tags ?? []).map((r) => [r, 1])) });
  const graph: InheritanceGraph<string> = {
    trace: (key) => records.get(key),
    linkedBy: (key) => Object.entries(traces).filter(([, t]) => t.linksTo?.includes(key)).map(([k]) => k),
    forEachLinkTarget: (key, visit) => {
      for (const target of traces[key]!.linksTo ?? []) visit(undefined, target);
    },
  };
  return { graph, records };
}

describe('reinherit', () => {
  it('returns the touched traces in the order given, so a store lists a run in arrival order', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const { graph, records } = graphOf(Object.fromEntries(keys.map((k) => [k, { tags: ['R'] }])));
    const old = reinherit(graph, keys);
    expect([...old.keys()]).toEqual(keys);
    for (const k of keys) expect([...records.get(k)!.runs]).toEqual(['R']);
  });

  it('takes in the traces linking into a touched one, after it', () => {
    const { graph, records } = graphOf({ a: { tags: ['R'] }, b: { tags: ['S'] }, linker: { linksTo: ['a'] } });
    const old = reinherit(graph, ['a', 'b']);
    expect([...old.keys()]).toEqual(['a', 'linker', 'b']);
    expect([...records.get('linker')!.runs]).toEqual(['R']);
  });
});
