/** Entry point of the `misas` bin (bundled to dist/cli.cjs): the only place the CLI meets the process. */
import { EXIT_FAILED, main } from './cli';
import type { CliIo } from './io';

// A reader that goes away (`misas transforms | head -1`) is not an error: what it did not read is
// dropped, and a run still finishes and writes its folder.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(cancel) {
    // Only while a run goes: outside one, Ctrl-C ends the process as usual.
    process.once('SIGINT', cancel);
    return () => process.off('SIGINT', cancel);
  },
};

main(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  // main reports bad input and failures itself; this is the last resort for a bug in that.
  (thrown: unknown) => {
    console.error('misas: internal error:', thrown);
    process.exitCode = EXIT_FAILED;
  },
);
