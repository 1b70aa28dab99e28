/**
 * The `expected` lists that syntax errors report, named once so the table stays readable. They are
 * part of the user-visible contract: change one here only when the message is meant to change.
 */

/** Where a selection must start: a filter, a parenthesized selection, or a quoted span name. */
export const SELECTION = ["'{'", "'('", 'a span name in quotes'];

/** After a complete selection at the top of an assertion. */
export const AFTER_SELECTION = ['a spanset operator (&&, ||, >, >>, <, <<, ~, !>, &>, ...)', "'after'", "'before'", "'within'", 'end of input'];

/** After a selection inside parentheses. */
export const IN_PARENS = ["')'", 'a spanset operator (&&, ||, >, >>, <, <<, ~, !>, &>, ...)'];

/** Where a field operand must start inside a filter. */
export const OPERAND = ['an attribute such as .key or span.key', 'an intrinsic such as name or status', 'a literal', "'('", "'!'", "'-'"];

/** After a complete field expression inside a filter. */
export const CLOSE_FILTER = ["'}'", 'an operator'];

/** After a field expression inside parentheses. */
export const CLOSE_PAREN = ["')'", 'an operator'];

/** After a scope prefix such as `span.`. */
export const ATTRIBUTE_NAME = ['an attribute name'];

/** Where an assertion must start. */
export const QUANTIFIER = ["'exactly N'", "'at least N'", "'at most N'", "'no'", "'some'", "'one'"];

/** Where a count must follow `exactly`, `at least`, `at most`. */
export const COUNT = ['a whole number'];

/** After `within`. */
export const DURATION = ['a duration such as 5s or 1m30s'];

/** Nothing in particular (an unexpected character). */
export const NOTHING: readonly string[] = [];

/** After `at`. */
export const LEAST_MOST = ["'least'", "'most'"];

/** After `nil`. */
export const NIL_OPERATOR = ["'='", "'!='"];

/** Where a duration literal went wrong. */
export const DURATION_FORM = ['a duration such as 250ms or 1h30m (units ns, us, µs, ms, s, m, h)'];

/** Where a number ran into letters that are no duration unit. */
export const NUMBER = ['a number or a duration such as 250ms'];

/** Inside a double-quoted string, after a backslash. */
export const STRING_ESCAPE = ['\\n', '\\t', '\\"', '\\\\', '\\xHH', '\\uHHHH'];

/** Inside a quoted attribute name, after a backslash. */
export const NAME_ESCAPE = ['\\"', '\\\\'];

/** At a single quote: TraceQL strings are double-quoted or raw (backticks). */
export const STRING_QUOTES = ['a string in double quotes or backticks'];
