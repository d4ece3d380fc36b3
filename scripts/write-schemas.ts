/**
 * Writes the experiment JSON schema generated from the transform registry into schemas/, where
 * VS Code's jsonValidation and editors find it. A unit test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentSchemaText } from '../src/engine/sweep/experiment';

const target = join(import.meta.dirname, '..', 'schemas', 'experiment.schema.json');
writeFileSync(target, experimentSchemaText());
console.log(`wrote ${target}`);
