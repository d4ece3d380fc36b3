import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHtmlReport, writeHtmlReport } from '../../../src/engine/report/html';
import { resultsFromJson } from '../../../src/engine/report/results';
import { isHostMessage, parseWebviewMessage } from '../../../src/protocol/webview';
import { webviewHtml } from '../../../src/extension/webviewHtml';
import { realRun, run } from './fixtures';

describe('webview protocol', () => {
  it('accepts the messages it knows and rebuilds them without extra fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', protocol: 1, extra: 'x' }), { type: 'ready', protocol: 1 });
    assert.deepEqual(
      parseWebviewMessage({ type: 'export', requestId: 3, format: 'csv', fileName: 'a-b.csv', data: 'x,y\n' }),
      { type: 'export', requestId: 3, format: 'csv', fileName: 'a-b.csv', data: 'x,y\n' },
    );
    assert.deepEqual(parseWebviewMessage({ type: 'frame', requestId: 4, series: 'rotate', input: 0, value: -15 }), {
      type: 'frame',
      requestId: 4,
      series: 'rotate',
      input: 0,
      value: -15,
    });
    assert.equal(
      (parseWebviewMessage({ type: 'log', level: 'error', message: 'x'.repeat(10_000) }) as { message: string }).message
        .length,
      4000,
    );
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'nope' },
      { type: 'ready' },
      { type: 'export', requestId: 1, format: 'exe', fileName: 'a.exe', data: '' },
      { type: 'export', requestId: 1, format: 'csv', fileName: '../../etc/passwd', data: '' },
      { type: 'export', requestId: 1, format: 'csv', fileName: 'dir/a.csv', data: '' },
      { type: 'export', requestId: 1, format: 'png', fileName: 'a.png', data: 'not bytes' },
      { type: 'export', requestId: -1, format: 'csv', fileName: 'a.csv', data: '' },
      { type: 'frame', requestId: 1, series: 'rotate', input: 0, value: Number.NaN },
      { type: 'log', level: 'debug', message: 'x' },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), null, JSON.stringify(message));
  });

  it('checks what the host sends', () => {
    assert.ok(isHostMessage({ type: 'results', primary: '{}', compare: [] }));
    assert.ok(!isHostMessage({ type: 'results', primary: {}, compare: [] }));
    assert.ok(!isHostMessage({ type: 'exportDone', requestId: 1 }));
  });
});

describe('webview HTML', () => {
  it('has a strict CSP with the nonce on its one script and no inline style', () => {
    const html = webviewHtml({
      scriptUri: 'https://x/dist/webview.js',
      styleUri: 'https://x/dist/webview.css',
      cspSource: 'https://x',
      nonce: 'abcDEF0123456789xyz',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.equal(
      csp,
      "default-src 'none'; img-src https://x data: blob:; style-src https://x; script-src 'nonce-abcDEF0123456789xyz'; font-src https://x",
    );
    assert.doesNotMatch(csp, /unsafe/);
    assert.deepEqual(html.match(/<script[^>]*>/g), [
      '<script nonce="abcDEF0123456789xyz" src="https://x/dist/webview.js">',
    ]);
    assert.doesNotMatch(html, /<style|style=/);
    assert.throws(() => webviewHtml({ scriptUri: '', styleUri: '', cspSource: '', nonce: 'short' }));
  });
});

describe('standalone HTML report (writer)', () => {
  it('inlines the runs so they read back exactly, infinities included', () => {
    const runs = [realRun('two-inputs'), realRun('one-input')];
    const html = buildHtmlReport(runs, 'console.log(1)', 'body{}');
    const data = /<script type="application\/json" id="misas-data">([\s\S]*?)<\/script>/.exec(html)![1];
    const texts = JSON.parse(data) as string[];
    assert.equal(texts.length, 2);
    const back = resultsFromJson(texts[0]);
    assert.deepEqual(back, runs[0]);
    assert.ok(JSON.stringify(back.series).length > 0 && texts[0].includes('"inf"'), 'the fixture has an infinite HD95');
  });

  it('cannot be broken out of by text in the results, and nonces its script and style', () => {
    const evil = run([], {
      experiment: { file: 'x', content: { name: '</script><script>alert(1)</script>' } as never },
    });
    const html = buildHtmlReport([evil], 'var s = "</script>";', 'a::after{content:"</style>"}');
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'only the data block and the bundle close a script');
    assert.equal(html.match(/<\/style>/g)!.length, 1);
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)![1];
    assert.ok(html.includes(`<script nonce="${nonce}">`) && html.includes(`<style nonce="${nonce}">`));
    assert.match(html, /<title>misas report — &lt;\/script&gt;/);
    assert.notEqual(
      nonce,
      /script-src 'nonce-([^']+)'/.exec(buildHtmlReport([evil], '', ''))![1],
      'a fresh nonce per report',
    );
  });

  it('writes the file from a given dist folder with the licence notices and without source-map comments', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-report-'));
    await writeFile(join(dir, 'webview.js'), 'window.ok = 1;\n//# sourceMappingURL=webview.js.map\n');
    await writeFile(join(dir, 'webview.css'), 'body { color: red; }\n/*# sourceMappingURL=webview.css.map */\n');
    await writeFile(join(dir, 'webview.js.LEGAL.txt'), 'lit: BSD-3-Clause */ tricky\n');
    const out = join(dir, 'sub', 'report.html');
    await writeHtmlReport(realRun('one-input'), out, { distDir: dir });
    const html = await readFile(out, 'utf8');
    assert.ok(html.includes('window.ok = 1;') && html.includes('body { color: red; }'));
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.ok(html.includes('/*! lit: BSD-3-Clause * / tricky */'), 'licence notices kept, comment not closed early');
  });
});
