/**
 * What VS Code passes a command, by where it is invoked (docs/EXTENSION.md, "What a command
 * receives"): the Explorer's context menu `(clicked, selected[])`, an editor tab's context menu
 * and the editor title `(uri, { groupId, … })`, a tree item `(node, selectedNodes?)`, the palette
 * and view titles nothing. Commands read their arguments only through these helpers, so nothing
 * passed by a menu is ever mistaken for something else.
 */
import * as vscode from 'vscode';

/**
 * The Explorer's selection as Uris: `selected` when it is a list of Uris (VS Code passes the
 * selection when the clicked item is part of it, else the clicked item alone; the clicked Uri is
 * put first if missing), else the clicked Uri alone, else nothing. An editor menu's second argument (an object) is
 * not a selection and is ignored.
 */
export function explorerSelection(clicked: unknown, selected: unknown): vscode.Uri[] {
  const uris = Array.isArray(selected) ? selected.filter((item): item is vscode.Uri => item instanceof vscode.Uri) : [];
  if (!(clicked instanceof vscode.Uri)) return uris;
  return uris.some((uri) => uri.toString() === clicked.toString()) ? uris : [clicked, ...uris];
}

/** A Uri argument, if it is one. */
export function uriArg(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}
