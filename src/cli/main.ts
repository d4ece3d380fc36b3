/** Entry point of the `misas` bin (bundled to dist/cli.cjs). */
import { main } from './cli';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
