import type { InstrumentationScope, Resource, Span } from '@tracecheck/model';

/** Spans of one scope, within one resource. */
export interface ScopeGroup {
  readonly scope: InstrumentationScope;
  readonly spans: readonly Span[];
}

/** Spans of one resource, by scope. */
export interface ResourceGroup {
  readonly resource: Resource;
  readonly scopes: readonly ScopeGroup[];
}

/**
 * Groups spans the way an ExportTraceServiceRequest nests them: by their resource object, then by
 * their scope object (identity, not content: decoders share one object per ResourceSpans and
 * ScopeSpans, so this restores the request's shape). Groups keep the order of first appearance.
 */
export function groupSpans(spans: readonly Span[]): ResourceGroup[] {
  const byResource = new Map<Resource, Map<InstrumentationScope, Span[]>>();
  for (const span of spans) {
    let scopes = byResource.get(span.resource);
    if (scopes === undefined) byResource.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.scope);
    if (list === undefined) scopes.set(span.scope, (list = []));
    list.push(span);
  }
  return [...byResource].map(([resource, scopes]) => ({
    resource,
    scopes: [...scopes].map(([scope, list]) => ({ scope, spans: list })),
  }));
}
