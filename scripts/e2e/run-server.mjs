// Runner 2: the VS Code server bundled in code-server (on Node 24) plus headless Debian
// Chromium. The workbench URL carries extensionDevelopmentPath / extensionTestsPath as
// vscode-remote URIs, so the suite runs in the server's Node extension host; the workbench
// reports log lines and the exit code through window.codeAutomationLog / codeAutomationExit
// (present because the server runs with --enable-smoke-test-driver).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout } from 'node:timers';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumBinary, codeServerMain, e2eLogDir, node24Binary, testsEntry } from './paths.mjs';
import { startServer } from './server.mjs';

// test/extension/index.ts starts each reporter line with this, to tell the test report
// apart from the workbench's own log messages (those go to a log file).
const reportPrefix = '@@misas-e2e@@ ';

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Returns a reason string when this runner cannot work here, else null. */
export function serverRunnerMissing() {
  for (const [what, file] of [
    ['Node 24', node24Binary],
    ['code-server', codeServerMain],
    ['Chromium', chromiumBinary],
  ]) {
    if (!fs.existsSync(file)) return `${what} not found at ${file} (run .ci/install-e2e.sh)`;
  }
  return null;
}

/** Runs the suite; resolves to its exit code (non-zero on failure, timeout or crash). */
export async function runWithServer({ workspace, extensionPath, timeoutMs }) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-server-'));
  const workbenchLog = openWorkbenchLog();
  let server;
  let browser;
  let done = false; // once set, late server exits and timers are no longer failures
  let reportServerExit;
  const serverExited = new Promise((resolve) => {
    reportServerExit = resolve;
  });

  // The page reports the suite's end; everything else (a crashed server, a hung suite,
  // a failed start) must still end the run with a non-zero code and a message.
  const runSuite = async () => {
    // The remote extension host inherits this environment (MISAS_E2E_GREP too).
    const env = { ...process.env, MISAS_E2E_LOG_PREFIX: reportPrefix };
    server = await startServer({
      scratch,
      userData: path.join(scratch, 'user-data'),
      env,
      verbose: Boolean(process.env.MISAS_E2E_VERBOSE),
    });
    if (done) return server.stop().then(() => 1); // timed out while starting; cleanup already ran
    void server.exited.then(reportServerExit);
    browser = await chromium.launch({ executablePath: chromiumBinary, headless: true, args: chromiumFlags });
    if (done) return browser.close().then(() => 1); // timed out while launching; cleanup already ran
    const page = await browser.newPage();
    let reportExit;
    const finished = new Promise((resolve) => {
      reportExit = resolve;
    });
    await page.exposeFunction('codeAutomationLog', (type, message) => workbenchLog.add(type, message));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    page.on('pageerror', (error) => workbenchLog.add('pageerror', error.stack ?? error.message));
    await page.goto(workbenchUrl(server.port, workspace, extensionPath));
    return finished;
  };
  const seconds = Math.round(timeoutMs / 1000);
  try {
    const code = await Promise.race([
      runSuite(),
      serverExited.then((how) => (done ? 0 : fail(`the VS Code server exited early (${how})`))),
      delay(timeoutMs).then(() =>
        done ? 0 : fail(`the suite did not finish within ${seconds} s (MISAS_E2E_TIMEOUT_MS); stopped it`),
      ),
    ]);
    done = true;
    if (code !== 0 && !workbenchLog.sawReport()) workbenchLog.printTail(); // a mocha report explains itself
    return code;
  } catch (error) {
    done = true;
    workbenchLog.printTail();
    throw error;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    workbenchLog.close(server?.output() ?? '');
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The workbench opens the test workspace with the extension and its tests from the server's disk. */
function workbenchUrl(port, workspace, extensionPath) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${toPosixPath(file)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsEntry)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const query = new URLSearchParams({ folder: toPosixPath(workspace), payload: JSON.stringify(payload) });
  return `http://127.0.0.1:${port}/?${query}`;
}

/**
 * Prints the mocha report as it arrives and keeps every other workbench message in
 * .vscode-test/e2e-logs/ (with the server's output), printing its tail when the run fails.
 */
function openWorkbenchLog() {
  fs.mkdirSync(e2eLogDir, { recursive: true });
  const file = path.join(e2eLogDir, 'workbench.log');
  const lines = [];
  let reportLines = 0;
  return {
    sawReport: () => reportLines > 0,
    add(type, message) {
      const parts = Array.isArray(message) ? message : [message];
      const text = parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
      const at = text.indexOf(reportPrefix);
      if (at >= 0) {
        reportLines++;
        console.log(text.slice(at + reportPrefix.length));
      } else lines.push(`[${type}] ${text}`);
      if (process.env.MISAS_E2E_VERBOSE && at < 0) console.log(`[workbench ${type}] ${text}`);
    },
    /** The last warnings and errors, without repeats: enough to see why a run crashed or hung. */
    printTail(count = 30) {
      const notable = lines.filter((line, i) => !/^\[(info|debug|trace)\]/.test(line) && line !== lines[i - 1]);
      console.error(`test-extension: last workbench warnings/errors (every message is in ${file}):`);
      for (const line of notable.slice(-count)) console.error(`  ${line}`);
    },
    close(serverOutput) {
      fs.writeFileSync(file, lines.join('\n') + '\n');
      fs.writeFileSync(path.join(e2eLogDir, 'server.log'), serverOutput);
    },
  };
}

function fail(message) {
  console.error(`test-extension: ${message}`);
  return 1;
}

function toPosixPath(file) {
  return file.split(path.sep).join('/');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
