/**
 * Regexes with RE2 semantics (re2js), so a pattern means the same here and in Tempo. Tempo matches
 * through Prometheus' FastRegexMatcher: the whole value must match and `.` also matches a newline,
 * i.e. `^(?s:pattern)$`. We do the same.
 */
import { RE2JS } from 're2js';
import { EvalCompileError } from './errors.js';

/** A compiled, fully anchored pattern. */
export interface AnchoredRegex {
  readonly source: string;
  test(value: string): boolean;
}

function compile(pattern: string): AnchoredRegex {
  const re = RE2JS.compile(`(?s:${pattern})`);
  return { source: pattern, test: (value) => re.matches(value) };
}

/** Compiles a pattern written as a literal; a malformed one is a compile error (the checker reports it first). */
export function compileRegex(pattern: string): AnchoredRegex {
  try {
    return compile(pattern);
  } catch (e) {
    throw new EvalCompileError('invalid-regex', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

/**
 * Patterns that only exist at run time (`span.a =~ span.b`) are compiled on first use and kept; a
 * malformed one matches nothing.
 */
export class RegexCache {
  private readonly cache = new Map<string, AnchoredRegex | null>();

  /** Records a pattern compiled ahead of time. */
  seed(pattern: string, re: AnchoredRegex): void {
    this.cache.set(pattern, re);
  }

  get(pattern: string): AnchoredRegex | null {
    let re = this.cache.get(pattern);
    if (re === undefined) {
      try {
        re = compile(pattern);
      } catch {
        re = null;
      }
      if (this.cache.size < 1000) this.cache.set(pattern, re);
    }
    return re;
  }
}
