/**
 * Writes the files generated from the transform registry: the experiment JSON schema (for
 * VS Code's jsonValidation and other editors) and docs/TRANSFORMS.md. Unit tests fail when a
 * committed copy is stale: run `npm run generate` after changing transforms.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentSchemaText } from '../src/engine/sweep/experiment/schema';
import { transformsMarkdown } from '../src/engine/transforms/docs';

const root = join(import.meta.dirname, '..');
for (const [file, text] of [
  [join(root, 'schemas', 'experiment.schema.json'), experimentSchemaText()],
  [join(root, 'docs', 'TRANSFORMS.md'), transformsMarkdown()],
]) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
