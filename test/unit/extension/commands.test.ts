/**
 * One registry of command ids (src/extension/commandIds.ts), checked against package.json: every
 * contributed command is a public one there and the reverse, menus name only public commands,
 * internal commands (`misas.internal.*`) are never contributed; and no source file registers or
 * executes a command by spelling its id instead of taking it from the registry.
 * (test/extension/workspace.test.ts checks inside VS Code that exactly these ids are registered.)
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IMAGE_EXTENSIONS } from '../../../src/engine/imageExtensions';
import { COMMANDS, INTERNAL_COMMANDS, INTERNAL_PREFIX } from '../../../src/extension/commandIds';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const contributes = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes as {
  commands: Array<{ command: string; title: string; category?: string }>;
  menus: Record<string, Array<{ command: string; when?: string }>>;
};
const publicIds = Object.values(COMMANDS) as string[];
const internalIds = Object.values(INTERNAL_COMMANDS) as string[];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('commands: one registry of ids, checked against package.json', () => {
  it('contributes exactly the public commands, each with a title and the misas category', () => {
    assert.deepEqual(contributes.commands.map((c) => c.command).sort(), [...publicIds].sort());
    for (const command of contributes.commands) {
      assert.ok(command.title, `${command.command} has no title`);
      assert.equal(command.category, 'misas', command.command);
    }
  });

  it('names internal commands misas.internal.* and never contributes them; ids are unique', () => {
    for (const id of internalIds)
      assert.ok(id.startsWith(INTERNAL_PREFIX), `${id} is internal but not named ${INTERNAL_PREFIX}*`);
    for (const id of publicIds)
      assert.ok(/^misas\.[a-z][A-Za-z]*$/.test(id), `${id}: public ids are misas.<camelCase>`);
    assert.equal(
      new Set([...publicIds, ...internalIds]).size,
      publicIds.length + internalIds.length,
      'an id is listed twice',
    );
  });

  it('menus name only public commands; those hidden from the palette are hidden with when: false', () => {
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const entry of entries)
        assert.ok(
          publicIds.includes(entry.command),
          `${menu} names ${entry.command}, which is not a public command in src/extension/commandIds.ts`,
        );
    }
    // Commands that need a tree item (VS Code passes none from the palette) stay out of it.
    const hidden = contributes.menus.commandPalette
      .filter((entry) => entry.when === 'false')
      .map((entry) => entry.command);
    assert.deepEqual(hidden.sort(), [COMMANDS.deleteRun, COMMANDS.revealFile].sort());
  });

  it('offers Analyze with Model… on every image type misas reads in the Explorer and the editor title; the palette on NIfTI, PNG and DICOM', () => {
    // The when-clauses compare resourceExtname (".gz" for scan.nii.gz) and resourceFilename with regexes.
    const offered = (when: string, file: string) => {
      const clause = (key: string) => when.match(new RegExp(`${key} =~ /(.+?)/(i?)(?= |\\)|$)`));
      const test = (key: string, value: string) => {
        const found = clause(key);
        return found ? new RegExp(found[1], found[2]).test(value) : false;
      };
      const extname = file.slice(file.lastIndexOf('.'));
      return test('resourceExtname', extname) || test('resourceFilename', file);
    };
    // The palette's clause stays narrower: widening it to every type made test:menus run the wrong
    // experiment from the Experiments view (3 of 3 CI runs in session 5, 1 of 3 in session 6); not yet understood.
    const paletteTypes = ['.nii', '.nii.gz', '.png', '.dcm'];
    for (const menu of ['explorer/context', 'editor/title/context', 'commandPalette']) {
      const entry = contributes.menus[menu].find((candidate) => candidate.command === COMMANDS.analyzeImage);
      assert.ok(entry?.when, `${menu} has Analyze with Model… with a when-clause`);
      for (const extension of menu === 'commandPalette' ? paletteTypes : IMAGE_EXTENSIONS) {
        for (const file of [`scan${extension}`, `SCAN${extension.toUpperCase()}`])
          assert.ok(offered(entry.when, file), `${menu}: not offered on ${file}`);
      }
      for (const file of ['scan.raw', 'scan.zraw', 'exp.misas.json', 'model.onnx', 'notes.gz'])
        assert.ok(!offered(entry.when, file), `${menu}: offered on ${file}`);
    }
  });

  it('no source file spells a command id: registration, execution and tree items take it from the registry', () => {
    const registry = join(ROOT, 'src', 'extension', 'commandIds.ts');
    // A quoted command id, or anything in the internal namespaces. Webview view types share the
    // misas.* namespace (the Fit Check panel's is misas.fitCheck): their declarations are not commands.
    const ids = new Set([...publicIds, ...internalIds]);
    const spellsId = (line: string) =>
      !/VIEW_TYPE = /.test(line) &&
      [...line.matchAll(/['"`](misas\.[\w.]+)['"`]/g)].some(
        ([, id]) => ids.has(id) || id.startsWith('misas._') || id.startsWith(INTERNAL_PREFIX),
      );
    const offenders = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'webview-ui'))]
      .filter((file) => file !== registry)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => [line, i] as const)
          .filter(([line]) => !/^\s*(\*|\/\/|\/\*)/.test(line) && spellsId(line)) // comments may name ids
          .map(([line, i]) => `${relative(ROOT, file)}:${i + 1}: ${line.trim()}`),
      );
    assert.deepEqual(offenders, [], 'use COMMANDS / INTERNAL_COMMANDS from src/extension/commandIds.ts');
  });
});
