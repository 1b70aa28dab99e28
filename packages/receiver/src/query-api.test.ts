import { describe, expect, it } from 'vitest';
import { runSpans, spanNames, testReceiver } from '../test-support/fixtures.js';

describe('query API', () => {
  it('lists runs with counts and ISO-8601 receive times', async () => {
    const r = await testReceiver();
    const before = Date.now();
    r.store.add([...runSpans('run-a', 3), ...runSpans('run-a', 1)]);
    r.store.add(runSpans('run-b', 2));
    const res = await fetch(`${r.httpUrl}/api/runs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const runs = (await res.json()) as { id: string; spans: number; traces: number; firstSeen: string; lastSeen: string }[];
    expect(runs.map(({ id, spans, traces }) => ({ id, spans, traces })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'run-a', spans: 4, traces: 2 },
      { id: 'run-b', spans: 2, traces: 1 },
    ]);
    for (const run of runs) {
      expect(new Date(run.firstSeen).toISOString()).toBe(run.firstSeen);
      expect(Date.parse(run.firstSeen)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(run.lastSeen)).toBeGreaterThanOrEqual(Date.parse(run.firstSeen));
    }
  });

  it('returns a run\'s spans in the JSON form of the model', async () => {
    const r = await testReceiver();
    const [span] = runSpans('run-a');
    r.store.add([span!]);
    const res = await fetch(`${r.httpUrl}/api/runs/run-a/spans`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { run: string; spans: Record<string, unknown>[] };
    expect(body.run).toBe('run-a');
    expect(body.spans).toHaveLength(1);
    expect(body.spans[0]).toMatchObject({
      traceId: span!.traceId,
      spanId: span!.spanId,
      name: 'op-0',
      startTimeUnixNano: span!.startTimeUnixNano.toString(),
      attributes: [{ key: 'test.run.id', value: { stringValue: 'run-a' } }],
    });
  });

  it('answers an unknown run with no spans', async () => {
    const r = await testReceiver();
    const res = await fetch(`${r.httpUrl}/api/runs/nobody/spans`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ run: 'nobody', spans: [] });
  });

  it('URL-decodes run ids in the path', async () => {
    const r = await testReceiver();
    const id = 'suite/test 1 ✓?#';
    r.store.add(runSpans(id, 2));
    expect(await spanNames(r, id)).toEqual(['op-0', 'op-1']);
    const del = await fetch(`${r.httpUrl}/api/runs/${encodeURIComponent(id)}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(r.store.runs()).toEqual([]);
  });

  it('deletes a run, freeing its memory, and leaves other runs alone', async () => {
    const r = await testReceiver();
    r.store.add(runSpans('keep', 2));
    const keepBytes = r.store.usedBytes;
    r.store.add(runSpans('drop', 5));
    const res = await fetch(`${r.httpUrl}/api/runs/drop`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(r.store.usedBytes).toBe(keepBytes);
    expect(await spanNames(r, 'drop')).toEqual([]);
    expect(await spanNames(r, 'keep')).toEqual(['op-0', 'op-1']);
    expect((await fetch(`${r.httpUrl}/api/runs/drop`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const r = await testReceiver();
    const missing = await fetch(`${r.httpUrl}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await fetch(`${r.httpUrl}/api/runs/`)).status).toBe(404);
    const wrong = await fetch(`${r.httpUrl}/api/runs`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const get = await fetch(`${r.httpUrl}/v1/traces`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${r.httpUrl}/healthz`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers HEAD like GET without a body', async () => {
    const r = await testReceiver();
    const res = await fetch(`${r.httpUrl}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('ignores the query string', async () => {
    const r = await testReceiver();
    r.store.add(runSpans('a/../b', 1));
    const res = await fetch(`${r.httpUrl}/api/runs/${encodeURIComponent('a/../b')}/spans?verbose=1#x`);
    expect(await res.json()).toMatchObject({ run: 'a/../b', spans: [{ name: 'op-0' }] });
  });

  it('answers a malformed percent-escape with 400', async () => {
    const r = await testReceiver();
    const res = await fetch(`${r.httpUrl}/api/runs/%E0%A4%A/spans`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_PATH' } });
  });
});
