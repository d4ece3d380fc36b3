/**
 * The results panel's HTML for a VS Code webview (the extension sets `webview.html` to this).
 * Strict CSP: nothing inline but the one nonce'd script tag, styles only from the extension's
 * files (Lit's constructable stylesheets are not inline styles), no remote content.
 */

export interface WebviewHtmlOptions {
  /** webview.asWebviewUri of dist/webview.js. */
  scriptUri: string;
  /** webview.asWebviewUri of dist/webview.css. */
  styleUri: string;
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random token per page load (letters and digits). */
  nonce: string;
  title?: string;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function webviewHtml({
  scriptUri,
  styleUri,
  cspSource,
  nonce,
  title = 'misas results',
}: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce))
    throw new Error('webviewHtml: the nonce must be at least 16 letters or digits');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttribute(title)}</title>
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
</head>
<body>
<div id="root"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}
