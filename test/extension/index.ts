// Entry point that VS Code's extension host loads for `extensionTestsPath`: it must export
// run(), which resolves when every test passed and rejects otherwise (the host turns that
// into its exit code). Bundled to out/test/extension/index.cjs by scripts/e2e/build-tests.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  routeReporterOutput(process.env.MISAS_E2E_LOG_PREFIX ?? '');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false, // output is captured as text by both runners, never a terminal
    timeout: 60_000,
    grep: process.env.MISAS_E2E_GREP || undefined,
  });
  // Each *.test.ts is bundled next to this file as *.test.cjs.
  const testFiles = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.cjs'))
    .sort();
  if (testFiles.length === 0) throw new Error(`no *.test.cjs files next to ${__filename}`);
  for (const name of testFiles) mocha.addFile(path.join(__dirname, name));

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}

/**
 * The extension host forwards console.log arguments without applying printf-style formats,
 * so reporter lines are formatted here. The server runner also sets a prefix that lets it
 * pick the report out of the workbench's own log messages.
 */
function routeReporterOutput(prefix: string): void {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(prefix + format(...args));
}
