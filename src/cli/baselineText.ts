/** The baseline checks as the CLI prints them: before anything else, since they change how the rest reads. */
import type { RunResults } from '../engine/report/results';
import { checksToShow } from '../engine/sweep/analysis/baselineCheck';

/** One "warning: …" line per check worth showing; none when all is well. */
export function baselineCheckLines(results: RunResults): string[] {
  return checksToShow(results.baselineChecks ?? []).map((check) => `warning: ${check.message}`);
}
