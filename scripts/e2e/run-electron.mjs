// Runner 1: a desktop VS Code build through @vscode/test-electron, when one can be had: either
// given by VSCODE_EXECUTABLE_PATH or downloaded (which needs update.code.visualstudio.com).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout } from 'node:timers';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { repoRoot, testsEntry } from './paths.mjs';

/**
 * Finds a VS Code executable, or returns `{ unavailable: reason }` when none can be had
 * (e.g. the update host does not resolve: that fails within seconds, it does not hang).
 */
export async function findVSCodeExecutable() {
  const given = process.env.VSCODE_EXECUTABLE_PATH;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`VSCODE_EXECUTABLE_PATH does not exist: ${given}`);
    return { executable: given };
  }
  try {
    const executable = await downloadAndUnzipVSCode({
      version: process.env.MISAS_VSCODE_VERSION || undefined, // default: newest stable matching engines.vscode
      extensionDevelopmentPath: repoRoot,
      cachePath: path.join(repoRoot, '.vscode-test'),
      timeout: 15_000,
      reporter: lineReporter,
    });
    return { executable };
  } catch (error) {
    return { unavailable: describeError(error) };
  }
}

/**
 * Runs the suite in a fresh profile; resolves to the exit code of VS Code, or 1 on timeout
 * (runTests has no timeout of its own, and a hung VS Code may outlive this process).
 */
export async function runWithElectron({ executable, workspace, extensionPath, timeoutMs }) {
  const timedOut = new Promise((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
  const code = await Promise.race([runTestsOnce(executable, workspace, extensionPath), timedOut]);
  if (code !== 'timeout') return code;
  console.error(
    `test-extension: the suite did not finish within ${Math.round(timeoutMs / 1000)} s (MISAS_E2E_TIMEOUT_MS)`,
  );
  return 1;
}

async function runTestsOnce(executable, workspace, extensionPath) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-user-'));
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-ext-'));
  const launchArgs = [
    workspace,
    '--disable-extensions', // only the extension under test (and built-ins)
    '--disable-workspace-trust',
    '--skip-welcome',
    '--skip-release-notes',
    `--user-data-dir=${userDataDir}`,
    `--extensions-dir=${extensionsDir}`,
  ];
  // Chromium refuses to start its sandbox as root (containers, CI).
  if (process.platform === 'linux' && process.getuid?.() === 0) launchArgs.push('--no-sandbox');
  try {
    return await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsEntry,
      launchArgs,
    });
  } catch (error) {
    // runTests rejects with "Test run failed with code N" when a test fails.
    const code = /code (\d+)/.exec(String(error?.message))?.[1];
    console.error(describeError(error));
    return code ? Number(code) || 1 : 1;
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

/** Plain progress lines: the default spinner garbles captured CI logs and lingers after a failure. */
const lineReporter = {
  report(progress) {
    if (progress.stage === 'resolvedVersion') console.log(`test-electron: VS Code ${progress.version}`);
    if (progress.stage === 'resolvingCDNLocation') console.log(`test-electron: downloading ${progress.url}`);
    if (progress.stage === 'retrying')
      console.log(`test-electron: download failed (${progress.error.message}), retrying`);
    if (progress.stage === 'newInstallComplete' || progress.stage === 'foundMatchingInstall')
      console.log(`test-electron: using ${progress.downloadedPath}`);
  },
  error() {}, // the caller reports the failure
};

function describeError(error) {
  const cause = error?.cause ? ` (${describeError(error.cause)})` : '';
  return `${error?.code ? `${error.code}: ` : ''}${error?.message ?? String(error)}${cause}`;
}
