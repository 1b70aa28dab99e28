import type { Overturn, SpanSummary } from '@tracecheck/lang';
import type { CheckCaller, CheckRecord } from '@tracecheck/receiver';

/** How a check ended up: overturned (passed, then the whole run contradicted it), failed or passed. */
export type CheckStatus = 'overturned' | 'failed' | 'passed';

/** A check as junit.xml and index.html present it. */
export interface ReportCheck {
  readonly record: CheckRecord;
  readonly status: CheckStatus;
  readonly overturn: Overturn | undefined;
  /** `passed at +0.3s, overturned by `x` (span …) at +2.3s`, as report.json says it. */
  readonly overturnSummary: string | undefined;
  /** `test/orders.test.ts:12:5` when the caller said where the check was made. */
  readonly location: string | undefined;
  /** The message that explains the outcome: the overturn's for an overturned check, else the verdict's. */
  readonly message: string;
  /** The evidence file under the report directory, for checks that did not hold. */
  readonly evidence: string | undefined;
}

/** A span a check points at: what it matched, what nearly matched, or what overturned it. */
export interface SpanRef {
  readonly traceId: string;
  readonly spanId: string;
  readonly role: 'match' | 'near miss' | 'overturned by';
  readonly name: string;
  readonly service: string | undefined;
  /** For a near miss: the condition it failed (and its actual value). */
  readonly detail?: string;
}

const rel = (ms: number): string => `+${(ms / 1000).toFixed(1)}s`;

export function overturnSummary(o: Overturn): string {
  const by = o.by === undefined ? 'the whole run' : `\`${o.by.name}\` (span ${o.by.spanId})`;
  return `passed at ${rel(o.passedAfterMs)}, overturned by ${by}${o.byAtMs === undefined ? '' : ` at ${rel(o.byAtMs)}`}`;
}

/** `file:line:column`, as much of it as the caller gave; undefined without a file. */
export function locationOf(caller: CheckCaller | undefined): string | undefined {
  if (caller?.file === undefined) return undefined;
  if (caller.line === undefined) return caller.file;
  return `${caller.file}:${caller.line}${caller.column === undefined ? '' : `:${caller.column}`}`;
}

export function evidencePath(checkId: number): string {
  return `evidence/${checkId}.txt`;
}

const RANK: Record<CheckStatus, number> = { overturned: 0, failed: 1, passed: 2 };

/** The checks in report order: overturned first (the false passes a report exists to show), then failures, then passes. */
export function reportChecks(checks: readonly CheckRecord[], overturns: readonly Overturn[]): ReportCheck[] {
  const overturnOf = new Map(overturns.map((o) => [o.checkId, o]));
  const list = checks.map((record): ReportCheck => {
    const overturn = overturnOf.get(record.id);
    const status: CheckStatus = overturn !== undefined ? 'overturned' : record.pass ? 'passed' : 'failed';
    return {
      record,
      status,
      overturn,
      overturnSummary: overturn === undefined ? undefined : overturnSummary(overturn),
      location: locationOf(record.caller),
      message: overturn?.message ?? record.message,
      evidence: status === 'passed' ? undefined : evidencePath(record.id),
    };
  });
  return list.sort((a, b) => RANK[a.status] - RANK[b.status]);
}

const ref = (s: SpanSummary, role: SpanRef['role'], detail?: string): SpanRef => ({ traceId: s.traceId, spanId: s.spanId, role, name: s.name, service: s.service, ...(detail === undefined ? {} : { detail }) });

/** The spans a check's verdict names: the overturning span, the matches, the nearest misses. */
export function spanRefs(c: ReportCheck): SpanRef[] {
  const v = c.record.verdict;
  return [
    ...(c.overturn?.by === undefined ? [] : [ref(c.overturn.by, 'overturned by')]),
    ...v.matches.map((s) => ref(s, 'match')),
    ...v.nearMisses.map((m) => ref(m.span, 'near miss', `${m.filter}: ${m.failed}${m.actual === undefined ? '' : ` (actual ${m.actual})`}`)),
  ];
}

/** The first line of a message, for summaries (JUnit's failure message, a title). */
export function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim();
}
