/** Progress output: a redrawn bar on a terminal, plain lines (at most one per 10%) otherwise. */
import type { CliStream } from './io';

export interface ProgressReporter {
  update(done: number, total: number, label: string): void;
  finish(): void;
}

const BAR_WIDTH = 28;

export function createProgressReporter(stream: CliStream): ProgressReporter {
  if (stream.isTTY) {
    let drawn = false;
    return {
      update(done, total, label) {
        const fraction = total > 0 ? done / total : 1;
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
        stream.write(
          `\r${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total} ${label}`.slice(
            0,
            (stream.columns || 80) - 1,
          ) + '\x1b[K',
        );
        drawn = true;
      },
      finish() {
        if (drawn) stream.write('\n');
      },
    };
  }
  let lastDecile = -1;
  return {
    update(done, total, label) {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`progress ${done}/${total} (${decile * 10}%) ${label}\n`);
    },
    finish() {},
  };
}
