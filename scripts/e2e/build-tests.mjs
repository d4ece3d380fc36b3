// Bundles test/extension/{index,*.test}.ts to CommonJS files the extension host can require().
// `vscode` comes from the host; mocha stays external and resolves from the repo's node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot, testsOutDir } from './paths.mjs';

export async function buildExtensionTests() {
  const sourceDir = path.join(repoRoot, 'test/extension');
  const entryPoints = fs
    .readdirSync(sourceDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(sourceDir, name));
  fs.rmSync(testsOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: testsOutDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}
