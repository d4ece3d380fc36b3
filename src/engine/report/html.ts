/**
 * The standalone HTML report: the results panel's own bundle (dist/webview.js + webview.css,
 * built from webview-ui/) and the runs' results.json inlined into one file that opens from
 * file:// with no network. A strict CSP with a per-file nonce keeps it as locked down as the
 * webview.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ENGINE_VERSION } from '../version';
import { resultsToJson, type RunResults } from './results';
import { outputError } from './files';
import { createFolders } from './runFolder';

export interface HtmlReportOptions {
  /** Folder holding webview.js and webview.css (default: the misas package's dist/). */
  distDir?: string;
}

const BUNDLE = 'webview.js';
const STYLES = 'webview.css';

function isMisasPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'misas';
  } catch {
    return false;
  }
}

function packageDistFrom(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, BUNDLE)) && existsSync(join(dir, STYLES)) && isMisasPackage(dirname(dir))) return dir;
    if (isMisasPackage(dir)) return join(dir, 'dist');
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The package's dist folder, from wherever this code runs: the bundled CLI or extension
 * (dist/*.cjs, where __dirname is dist/), `tsx src/cli/main.ts` (the script path), or a test
 * started in the package folder (the working directory).
 */
export function findDistDir(): string {
  const starts = [
    typeof __dirname === 'string' ? __dirname : null,
    process.argv[1] ? dirname(process.argv[1]) : null,
    process.cwd(),
  ];
  for (const start of starts) {
    if (!start) continue;
    const dist = packageDistFrom(start);
    if (dist && existsSync(join(dist, BUNDLE))) return dist;
  }
  throw new Error(`the results panel bundle (dist/${BUNDLE}) was not found; build it with "npm run build"`);
}

function withoutSourceMap(code: string): string {
  return code
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
    .replace(/\n?\/\*# sourceMappingURL=\S+ \*\/\s*$/, '\n');
}

/** Text that cannot close the element it is inlined into (`</script`, `</style`, `<!--`). */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The bundle's licence notices (esbuild's linked legal comments) as a leading block comment. */
function noticesComment(notices: string): string {
  return notices.trim() ? `/*! ${notices.trim().replace(/\*\//g, '* /')} */\n` : '';
}

/** The report's HTML for the runs (the first is shown, the others are compared with it). */
export function buildHtmlReport(runs: readonly RunResults[], bundle: string, styles: string, notices = ''): string {
  if (runs.length === 0) throw new Error('a report needs at least one run');
  const nonce = randomBytes(18).toString('base64url');
  // An array of results.json texts: the same encoding as the run folder (Infinity as "inf").
  const data = JSON.stringify(runs.map(resultsToJson)).replace(/</g, '\\u003c');
  const csp = `default-src 'none'; img-src data: blob:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
  const title = `misas report — ${runs[0].experiment.content.name}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="misas ${escapeHtml(ENGINE_VERSION)}">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
${inlineSafe(withoutSourceMap(styles), 'style')}
</style>
</head>
<body class="misas-standalone">
<div id="root"><noscript>This report needs JavaScript to draw its charts.</noscript></div>
<script type="application/json" id="misas-data">${data}</script>
<script nonce="${nonce}">
${inlineSafe(noticesComment(notices) + withoutSourceMap(bundle), 'script')}
</script>
</body>
</html>
`;
}

/** Writes the self-contained report for one run (or a run and the runs compared with it). */
export async function writeHtmlReport(
  results: RunResults | readonly RunResults[],
  outFile: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  const runs = Array.isArray(results) ? (results as readonly RunResults[]) : [results as RunResults];
  const dist = options.distDir ?? findDistDir();
  const [bundle, styles, notices] = await Promise.all([
    readFile(join(dist, BUNDLE), 'utf8'),
    readFile(join(dist, STYLES), 'utf8'),
    readFile(join(dist, `${BUNDLE}.LEGAL.txt`), 'utf8').catch(() => ''),
  ]);
  await createFolders(dirname(resolve(outFile)), "the report's folder");
  try {
    await writeFile(outFile, buildHtmlReport(runs, bundle, styles, notices));
  } catch (thrown) {
    throw outputError(outFile, 'cannot write the report', thrown);
  }
}
