/**
 * What a usage error shows besides its message: the command's synopsis and where its full help
 * is. The whole help text would bury the one line that says what went wrong.
 */

/** The synopsis of a usage text: its leading lines, up to the first blank line. */
export function synopsis(usage: string): string {
  const end = usage.search(/\n\s*\n/);
  return end === -1 ? usage.trimEnd() : usage.slice(0, end);
}

/** The synopsis and the hint, for the command `tracecheck <command>` (or the CLI itself). */
export function shortUsage(usage: string, command?: string): string {
  const help = command === undefined ? 'tracecheck --help' : `tracecheck ${command} --help`;
  return `${synopsis(usage)}\nRun '${help}' for ${command === undefined ? 'the commands' : 'its options'}.\n`;
}

/**
 * The long flags a usage text documents. They are the ones a mistyped flag is compared with, read
 * from the help rather than from each command's parser so that a flag documented later is
 * suggested without further wiring.
 */
export function documentedFlags(usage: string): string[] {
  return [...new Set([...usage.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]))];
}
