/**
 * Writing a fit check's winner into the model's sidecar card `<model>.onnx.misas.json`: the
 * tested conventions replace the card's, every other field stays as it is, and the result is
 * validated against the card schema before it is written. Pure (no onnxruntime): the
 * extension host writes cards with it too.
 */
import { MisasInputError } from '../../errors';
import { readJsonFile } from '../../json';
import { writeFileAtomic } from '../../report/files';
import { cardSchema, sidecarPath, validateCardFile } from '../sidecar';
import type { FitReport } from './types';
import { fileExists } from '../../io/files';

/** The card fields the schema knows (orientation only once the card has that field). */
export function writableFitFields(report: FitReport): Record<string, unknown> {
  const known = (cardSchema as { properties: Record<string, unknown> }).properties;
  return Object.fromEntries(Object.entries(report.cardFields).filter(([field]) => field in known));
}

export interface WrittenCard {
  file: string;
  /** The fields written. */
  fields: string[];
  /** Whether a card was there before (and was updated). */
  replaced: boolean;
}

/** Writes the winner's fields into the model's card; an existing card only with `force`. */
export async function writeFitCard(report: FitReport, options: { force?: boolean } = {}): Promise<WrittenCard> {
  const file = sidecarPath(report.model);
  const replaced = await fileExists(file);
  if (replaced && !options.force) {
    throw new MisasInputError(
      file,
      "a model card exists already; give --force to update it with the fit check's conventions (its other fields are kept)",
    );
  }
  const previous = replaced ? ((await readJsonFile(file)) as Record<string, unknown>) : {};
  const fields = writableFitFields(report);
  const card = validateCardFile({ ...previous, ...fields }, file);
  await writeFileAtomic(file, `${JSON.stringify(card, null, 2)}\n`);
  return { file, fields: Object.keys(fields), replaced };
}
