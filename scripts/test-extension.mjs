// Runs the mocha suite in test/extension/ inside a real VS Code extension host.
// Runner choice (MISAS_E2E_RUNNER=auto|electron|server, default auto):
//   electron — @vscode/test-electron with VSCODE_EXECUTABLE_PATH or a downloaded VS Code;
//   server   — code-server's VS Code server + headless Chromium (installed by .ci/install-e2e.sh).
// auto tries electron first and falls back to server when no VS Code build can be had.
// What is tested (MISAS_E2E_EXTENSION=vsix|sources, default vsix): the VSIX packaged from the
// current dist/ (or the one MISAS_E2E_VSIX names), extracted to a temporary folder, or the
// repository itself. Expects `npm run build` to have produced dist/. Exit code: 0 only if every test passed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildExtensionTests } from './e2e/build-tests.mjs';
import { extensionBundle, repoRoot, testWorkspaceTemplate } from './e2e/paths.mjs';
import { findVSCodeExecutable, runWithElectron } from './e2e/run-electron.mjs';
import { runWithServer, serverRunnerMissing } from './e2e/run-server.mjs';
import { extractZip } from './e2e/zip.mjs';
import { packageVsix } from './package-vsix.mjs';

const choice = process.env.MISAS_E2E_RUNNER || 'auto';
// A bound for a hung suite, not a speed target: the 60 tests took 4 min on a quiet machine and
// 9.6 min at load 20 on 2 cores, so 10 min was too tight for a busy CI machine.
const timeoutMs = Number(process.env.MISAS_E2E_TIMEOUT_MS) || 40 * 60_000;
const under = process.env.MISAS_E2E_EXTENSION || 'vsix';

async function main() {
  if (!['auto', 'electron', 'server'].includes(choice))
    throw new Error(`MISAS_E2E_RUNNER must be auto, electron or server, not "${choice}"`);
  if (!['vsix', 'sources'].includes(under))
    throw new Error(`MISAS_E2E_EXTENSION must be vsix or sources, not "${under}"`);
  if (!fs.existsSync(extensionBundle)) throw new Error(`${extensionBundle} is missing: run \`npm run build\` first`);
  await buildExtensionTests();
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(testWorkspaceTemplate, workspace, { recursive: true });
  let code;
  try {
    const extensionPath = under === 'vsix' ? unpackedVsix(scratch) : repoRoot;
    code = await runChosen(workspace, extensionPath);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    `test-extension: ${code === 0 ? 'passed' : `FAILED (exit code ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return code;
}

/** The extension as users get it: the VSIX's `extension/` folder. */
function unpackedVsix(scratch) {
  let vsix = process.env.MISAS_E2E_VSIX;
  if (vsix) {
    if (!fs.existsSync(vsix)) throw new Error(`MISAS_E2E_VSIX does not exist: ${vsix}`);
  } else {
    console.log('test-extension: packaging a VSIX from the current dist/ (MISAS_E2E_VSIX=file to test a given one)');
    vsix = packageVsix({ build: false, out: path.join(scratch, 'misas.vsix') }).file;
  }
  extractZip(vsix, path.join(scratch, 'vsix'));
  console.log(`test-extension: extension under test = ${path.basename(vsix)}, unpacked`);
  return path.join(scratch, 'vsix', 'extension');
}

async function runChosen(workspace, extensionPath) {
  if (under === 'sources') console.log('test-extension: extension under test = the repository (sources)');
  if (choice !== 'server') {
    const found = await findVSCodeExecutable();
    if (found.executable) {
      console.log(`test-extension: runner = @vscode/test-electron (${found.executable})`);
      return runWithElectron({ executable: found.executable, workspace, extensionPath, timeoutMs });
    }
    if (choice === 'electron') throw new Error(`no VS Code build available: ${found.unavailable}`);
    console.log(`test-extension: no desktop VS Code (${found.unavailable}); falling back to the VS Code server`);
  }
  const missing = serverRunnerMissing();
  if (missing) throw new Error(missing);
  console.log('test-extension: runner = code-server VS Code server + headless Chromium');
  return runWithServer({ workspace, extensionPath, timeoutMs });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test-extension: ${error.message}`);
    process.exit(1);
  },
);
