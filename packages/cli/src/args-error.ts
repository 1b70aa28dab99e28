import { didYouMean } from './suggest.js';
import { documentedFlags } from './short-usage.js';

/**
 * The message for a command line `node:util`'s parseArgs refused, in the CLI's own words, or
 * undefined when `e` is not such an error. Node's messages explain how to pass a positional that
 * starts with a dash, which is rarely what happened; a mistyped flag is far more likely.
 */
export function argsErrorMessage(e: unknown, usage: string): string | undefined {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return undefined;
  const message = (e as Error).message;
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
    const close = unknown.startsWith('--') ? didYouMean(unknown.slice(2), documentedFlags(usage).map((f) => f.slice(2))) : undefined;
    return `unknown option ${unknown}${close === undefined ? '' : `; did you mean --${close}?`}`;
  }
  const missing = /^Option '(?:-\w, )?(--?[\w-]+)(?: <value>)?' argument missing/.exec(message)?.[1];
  if (missing !== undefined) return `${missing} needs a value`;
  const positional = /^Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (positional !== undefined) return `unexpected argument '${positional}': this command takes options only`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}
