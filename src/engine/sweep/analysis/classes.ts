/** Which classes a robustness score looks at; shared by the summaries, aggregates and the baseline check. */

/** Classes a robustness score looks at: all but the first (background) when there are several. */
export function foregroundClasses(classes: readonly string[]): string[] {
  return classes.length > 1 ? classes.slice(1) : [...classes];
}
