import type { JsonSpan } from '@tracecheck/model';

/** Reads a run's spans through the public query API, as a user's tooling would. */
export async function runSpans(httpUrl: string, runId: string, headers: Record<string, string> = {}): Promise<JsonSpan[]> {
  const res = await fetch(`${httpUrl}/api/runs/${encodeURIComponent(runId)}/spans`, { headers });
  if (res.status !== 200) throw new Error(`GET spans answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { run: string; spans: JsonSpan[] };
  return body.spans;
}

/** Polls the query API until the run holds `count` spans (exporters send asynchronously). */
export async function waitForSpans(httpUrl: string, runId: string, count: number, timeoutMs = 10_000): Promise<JsonSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = await runSpans(httpUrl, runId);
    if (spans.length >= count || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 25));
  }
}
