/** Entry point of the `misas` bin (bundled to dist/cli.cjs). */
import { EXIT_FAILED, main } from './cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  // main reports bad input and failures itself; this is the last resort for a bug in that.
  (thrown: unknown) => {
    console.error('misas: internal error:', thrown);
    process.exitCode = EXIT_FAILED;
  },
);
