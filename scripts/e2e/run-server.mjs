// Runner 2: the VS Code server bundled in code-server (on Node 24) plus headless Debian
// Chromium. The workbench URL carries extensionDevelopmentPath / extensionTestsPath as
// vscode-remote URIs, so the suite runs in the server's Node extension host; the workbench
// reports log lines and the exit code through window.codeAutomationLog / codeAutomationExit
// (present because the server runs with --enable-smoke-test-driver).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout } from 'node:timers';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumBinary, codeServerMain, e2eLogDir, node24Binary, repoRoot, testsEntry } from './paths.mjs';

// test/extension/index.ts starts each reporter line with this, to tell the test report
// apart from the workbench's own log messages (those go to a log file).
const reportPrefix = '@@misas-e2e@@ ';

const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Returns a reason string when this runner cannot work here, else null. */
export function serverRunnerMissing() {
  for (const [what, file] of [['Node 24', node24Binary], ['code-server', codeServerMain], ['Chromium', chromiumBinary]]) {
    if (!fs.existsSync(file)) return `${what} not found at ${file} (run .ci/install-e2e.sh)`;
  }
  return null;
}

/** Runs the suite; resolves to its exit code (non-zero on failure, timeout or crash). */
export async function runWithServer({ workspace, extensionPath, timeoutMs }) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-e2e-server-'));
  const port = await findFreePort();
  const server = startServer(port, scratch);
  const workbenchLog = openWorkbenchLog();
  let browser;
  let done = false; // once set, late server exits and timers are no longer failures

  // The page reports the suite's end; everything else (a crashed server, a hung suite,
  // a failed start) must still end the run with a non-zero code and a message.
  const runSuite = async () => {
    await waitForServer(server, port);
    browser = await chromium.launch({ executablePath: chromiumBinary, headless: true, args: chromiumFlags });
    if (done) return browser.close().then(() => 1); // timed out while launching; cleanup already ran
    const page = await browser.newPage();
    let reportExit;
    const finished = new Promise((resolve) => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationLog', (type, message) => workbenchLog.add(type, message));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    page.on('pageerror', (error) => workbenchLog.add('pageerror', error.stack ?? error.message));
    await page.goto(workbenchUrl(port, workspace, extensionPath));
    return finished;
  };
  const seconds = Math.round(timeoutMs / 1000);
  try {
    const code = await Promise.race([
      runSuite(),
      server.exited.then((how) => (done ? 0 : fail(`the VS Code server exited early (${how})`))),
      delay(timeoutMs).then(() => (done ? 0 : fail(`the suite did not finish within ${seconds} s (MISAS_E2E_TIMEOUT_MS); stopped it`))),
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
    await server.stop();
    workbenchLog.close(server.output());
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

function startServer(port, scratch) {
  const args = [
    codeServerMain,
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--enable-smoke-test-driver', '--disable-workspace-trust',
    '--accept-server-license-terms', '--disable-telemetry',
    '--server-data-dir', path.join(scratch, 'server-data'),
    '--user-data-dir', path.join(scratch, 'user-data'),
    '--extensions-dir', path.join(scratch, 'extensions'),
  ];
  // Own process group, so stopping it also stops the extension host it spawned.
  // The remote extension host inherits this environment (MISAS_E2E_GREP too).
  const env = { ...process.env, MISAS_E2E_LOG_PREFIX: reportPrefix };
  const child = spawn(node24Binary, args, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (process.env.MISAS_E2E_VERBOSE) process.stdout.write(`[server] ${chunk}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    exited,
    output: () => output.join(''),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
}

async function waitForServer(server, port) {
  const deadline = Date.now() + 60_000;
  let exited = false;
  server.exited.then(() => { exited = true; });
  while (Date.now() < deadline && !exited) {
    if (await answersHttp(`http://127.0.0.1:${port}/version`)) return;
    await delay(250);
  }
  throw new Error(`the VS Code server did not start on port ${port}:\n${server.output()}`);
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
      }
      else lines.push(`[${type}] ${text}`);
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

/** True once anything answers HTTP at `url` (the server may still be starting otherwise). */
export function answersHttp(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

function fail(message) {
  console.error(`test-extension: ${message}`);
  return 1;
}

export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function toPosixPath(file) {
  return file.split(path.sep).join('/');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
