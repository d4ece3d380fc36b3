// A real workbench for scripts that act as a person would (scripts/test-menus.mjs,
// test-panel-ui.mjs, test-fit-ui.mjs): code-server's VS Code server on a free port with fresh
// server/user/extension folders (server.mjs), Debian's Chromium (playwright-core) on it, the
// extension under test loaded from `extensionPath` (no test suite in the extension host), and
// small helpers that wait for states, never for fixed times.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumBinary, codeServerMain, node24Binary } from './paths.mjs';

export { startServer } from './server.mjs';

/**
 * Checks that the server, the browser and the built extension (and `builtFiles` of dist/, e.g.
 * 'webview.js') are there; throws saying how to get them.
 */
export function checkPrerequisites(extensionPath, builtFiles = []) {
  const built = ['extension.cjs', ...builtFiles].map((name) => [
    `dist/${name}`,
    path.join(extensionPath, 'dist', name),
  ]);
  for (const [what, file] of [
    ['Node 24', node24Binary],
    ['code-server', codeServerMain],
    ['Chromium', chromiumBinary],
    ...built,
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file} (npm run build; .ci/install-e2e.sh)`);
  }
}

/** User settings and keybindings live on the server: <user-data-dir>/User/. */
export function prepareUserData(scratch, settings = {}, keybindings = []) {
  const userData = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    // Dialogs as HTML in the page, so that a test can click their buttons.
    'window.dialogStyle': 'custom',
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...defaults, ...settings }, null, 2));
  fs.writeFileSync(path.join(userData, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2));
  return userData;
}

export function workbenchUrl(port, workspace, extensionPath) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file.split(path.sep).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) })}`;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumBinary,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Polls `probe` (errors count as "not yet") until it returns something truthy. */
export async function waitUntil(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await delay(200);
  }
}

/** The texts of the notifications on screen (toasts) and in the notification center, for failure reports. */
export async function notificationTexts(page) {
  return page
    .locator('.notification-list-item-message')
    .allTextContents()
    .catch(() => []);
}

/** The frame (a webview's page: iframe.webview → #active-frame) holding `selector`, or undefined. */
export async function frameWith(page, selector) {
  for (const frame of page.frames()) {
    if (frame !== page.mainFrame() && (await frame.$(selector).catch(() => null))) return frame;
  }
  return undefined;
}

export const quickInput = (page) => page.locator('.quick-input-widget');

/** Waits for the quick input titled like `title` (a regular expression or text it contains). */
export async function quickPickTitled(page, title, timeoutMs = 30_000) {
  const titleElement = quickInput(page).locator('.quick-input-title');
  await waitUntil(
    `the quick input "${title}"`,
    async () =>
      (await quickInput(page).isVisible()) &&
      (title instanceof RegExp
        ? title.test(await titleElement.textContent())
        : (await titleElement.textContent()).includes(title)),
    timeoutMs,
  );
}

/** The rows of a multi-select quick pick that are ticked (their labels). */
export async function tickedRows(page) {
  return quickInput(page)
    .locator('.monaco-list-row[aria-checked="true"]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label').split(',')[0]).sort());
}

/** F1, "misas: <title>", Enter: once the palette's first row is that command. */
export async function runFromPalette(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>misas: ${title}`);
  const first = quickInput(page).locator('.monaco-list-row').first();
  await waitUntil(
    `"misas: ${title}" first in the palette`,
    async () => (await first.getAttribute('aria-label'))?.startsWith(`misas: ${title}`),
    10_000,
  );
  await page.keyboard.press('Enter');
}

/**
 * Runs a script's `main` (resolving to its exit code) and exits with that code. After
 * `timeoutMs` it prints that the script did not finish, runs what `main` registered with
 * `onTimeout` (stopping the server: a timeout must not leave it behind) and exits 1.
 */
export function runScript(name, timeoutMs, main) {
  let cleanUp = async () => {};
  const timeout = delay(timeoutMs, undefined, { ref: false }).then(async () => {
    console.error(`${name}: did not finish within ${timeoutMs / 1000} s`);
    await cleanUp();
    return 1;
  });
  Promise.race([
    main({
      onTimeout: (fn) => {
        cleanUp = fn;
      },
    }),
    timeout,
  ]).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`${name}: ${error?.stack ?? error}`);
      process.exit(1);
    },
  );
}
