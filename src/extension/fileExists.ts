import * as vscode from 'vscode';

/** Whether anything exists at `uri` (through vscode.workspace.fs, so remote workspaces work too). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
