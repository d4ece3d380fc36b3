// Runs the mocha suite in test/extension/ inside a real VS Code extension host.
// Runner choice (MISAS_E2E_RUNNER=auto|electron|server, default auto):
//   electron — @vscode/test-electron with VSCODE_EXECUTABLE_PATH or a downloaded VS Code;
//   server   — code-server's VS Code server + headless Chromium (installed by .ci/install-e2e.sh).
// auto tries electron first and falls back to server when no VS Code build can be had.
// Expects `npm run build` to have produced dist/extension.cjs. Exit code: 0 only if every test passed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildExtensionTests } from './e2e/build-tests.mjs';
import { extensionBundle, testWorkspaceTemplate } from './e2e/paths.mjs';
import { findVSCodeExecutable, runWithElectron } from './e2e/run-electron.mjs';
import { runWithServer, serverRunnerMissing } from './e2e/run-server.mjs';

const choice = process.env.MISAS_E2E_RUNNER || 'auto';
const timeoutMs = Number(process.env.MISAS_E2E_TIMEOUT_MS) || 10 * 60_000;

async function main() {
  if (!['auto', 'electron', 'server'].includes(choice)) throw new Error(`MISAS_E2E_RUNNER must be auto, electron or server, not "${choice}"`);
  if (!fs.existsSync(extensionBundle)) throw new Error(`${extensionBundle} is missing: run \`npm run build\` first`);
  await buildExtensionTests();
  const started = Date.now();
  const workspaceParent = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-workspace-'));
  const workspace = path.join(workspaceParent, 'workspace');
  fs.cpSync(testWorkspaceTemplate, workspace, { recursive: true });
  let code;
  try {
    code = await runChosen(workspace);
  } finally {
    fs.rmSync(workspaceParent, { recursive: true, force: true });
  }
  console.log(`test-extension: ${code === 0 ? 'passed' : `FAILED (exit code ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

async function runChosen(workspace) {
  if (choice !== 'server') {
    const found = await findVSCodeExecutable();
    if (found.executable) {
      console.log(`test-extension: runner = @vscode/test-electron (${found.executable})`);
      return runWithElectron({ executable: found.executable, workspace, timeoutMs });
    }
    if (choice === 'electron') throw new Error(`no VS Code build available: ${found.unavailable}`);
    console.log(`test-extension: no desktop VS Code (${found.unavailable}); falling back to the VS Code server`);
  }
  const missing = serverRunnerMissing();
  if (missing) throw new Error(missing);
  console.log('test-extension: runner = code-server VS Code server + headless Chromium');
  return runWithServer({ workspace, timeoutMs });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test-extension: ${error.message}`);
    process.exit(1);
  },
);
