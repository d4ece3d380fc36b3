// The VS Code server of code-server (on Node 24) for every script that drives a real workbench:
// the extension test runner (run-server.mjs) and the scripts that act as a person would
// (workbench.mjs). One place for its flags, its start-up and its stop.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { codeServerMain, node24Binary, repoRoot } from './paths.mjs';

const START_TIMEOUT_MS = 60_000;
/** Another process may take the free port before the server binds it (parallel test runs): try a new one. */
const START_ATTEMPTS = 3;

/**
 * Starts the server in its own process group (stopping it stops its extension host and the
 * engine processes too) on a free port, with fresh server-data and extensions folders under
 * `scratch`. Resolves once the server says it has bound *its* port (an HTTP answer alone could
 * come from another process that took the port) and answers there.
 */
export async function startServer({ scratch, userData, env = process.env, verbose = false }) {
  for (let attempt = 1; ; attempt++) {
    const server = spawnServer(await findFreePort(), { scratch, userData, env, verbose });
    const outcome = await server.ready();
    if (outcome === 'ready') return server;
    await server.stop();
    if (outcome === 'port taken' && attempt < START_ATTEMPTS) continue;
    throw new Error(`the VS Code server did not start on port ${server.port} (${outcome}):\n${server.output()}`);
  }
}

function spawnServer(port, { scratch, userData, env, verbose }) {
  const args = [
    codeServerMain,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    // The smoke-test driver flag makes a built workbench honour the URL's extensionDevelopmentPath.
    '--without-connection-token',
    '--enable-smoke-test-driver',
    '--disable-workspace-trust',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir',
    path.join(scratch, 'server-data'),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    path.join(scratch, 'extensions'),
  ];
  const child = spawn(node24Binary, args, { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (verbose) process.stdout.write(`[server] ${chunk}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    port,
    /** Resolves with the exit code (or signal) when the server process ends. */
    exited,
    output: () => output.join(''),
    /** 'ready', 'port taken', 'exited' or 'timed out'. */
    async ready() {
      const bound = `Server bound to 127.0.0.1:${port}`;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if (gone()) return /EADDRINUSE|address already in use/i.test(output.join('')) ? 'port taken' : 'exited';
        if (output.join('').includes(bound) && (await answersHttp(`http://127.0.0.1:${port}/version`))) return 'ready';
        await delay(250);
      }
      return 'timed out';
    },
    async stop() {
      if (gone()) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!stopped)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
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
