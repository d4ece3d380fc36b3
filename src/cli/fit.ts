/** `misas fit <model.onnx> <image>... [--mask M]...`: which input conventions the model expects. */
import { parseArgs } from 'node:util';
import { MisasInputError } from '../engine/errors';
import { sidecarPath } from '../engine/model';
import { fitModel, type FitReport } from '../engine/model/fit';
import { writableFitFields, writeFitCard } from '../engine/model/fit/cardFile';
import {
  assumedSentence,
  fitTable,
  fixedSentence,
  rankingSentence,
  tiesSentence,
  timingSentence,
  triedSentence,
} from '../engine/model/fit/describe';
import { fileExists } from '../engine/io/files';
import { alignedTable } from '../engine/report/alignedTable';
import { type CliIo, EXIT_FAILED, printLine } from './io';

export const FIT_USAGE = `  misas fit <model.onnx> <image>... [--mask FILE]... [--all] [--write-card] [--force] [--threads N] [--json]
        find the input conventions the model expects: at identity, try the in-plane
        orientations × intensity normalisations × output readings its card leaves
        open (--all: also those it states) and rank them by mean foreground Dice
        against the masks (one --mask per image, in order), or without masks by a
        label-free score; --write-card writes the winner into <model>.onnx.misas.json
        (an existing card only with --force; its other fields are kept)`;

/** Rows shown in the table; --json has them all. */
const TABLE_ROWS = 10;

class FitUsageError extends Error {}

function table(report: FitReport): string[] {
  const { header, rows } = fitTable(report, TABLE_ROWS);
  const lines = alignedTable(header, rows);
  const more = report.candidates.length - rows.length;
  if (more > 0) lines.push(`… ${more} more (--json lists them all)`);
  return lines;
}

export function formatFitReport(report: FitReport): string {
  const sentences = [fixedSentence(report), triedSentence(report)].filter((s): s is string => s !== undefined);
  const notes = [tiesSentence(report), assumedSentence(report)].filter((s): s is string => s !== undefined);
  return [
    `fit check of ${report.model}: ${rankingSentence(report)}`,
    ...sentences,
    '',
    ...table(report),
    '',
    ...notes.map((n) => `note: ${n}`),
    timingSentence(report),
  ].join('\n');
}

export async function fit(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mask: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      'write-card': { type: 'boolean' },
      force: { type: 'boolean' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [model, ...images] = positionals;
  if (!model || images.length === 0) throw new FitUsageError('fit takes a model and at least one image');
  const masks = values.mask ?? [];
  if (masks.length && masks.length !== images.length)
    throw new FitUsageError(
      `fit takes one --mask per image, in order: ${images.length} image(s), ${masks.length} mask(s)`,
    );
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
    throw new FitUsageError(`--threads must be a positive integer, got "${values.threads}"`);
  if (values.force && !values['write-card']) throw new FitUsageError('--force only goes with --write-card');
  // Refuse before the work: the card would not be written anyway.
  if (values['write-card'] && !values.force && (await fileExists(sidecarPath(model)))) {
    throw new MisasInputError(
      sidecarPath(model),
      "a model card exists already; give --force to update it with the fit check's conventions (its other fields are kept)",
    );
  }

  const abort = new AbortController();
  const disarmInterrupt = io.onInterrupt(() => abort.abort());
  let report: FitReport;
  try {
    report = await fitModel(
      model,
      images.map((image, i) => ({ image, ...(masks[i] ? { mask: masks[i] } : {}) })),
      {
        ...(values.all ? { all: true } : {}),
        ...(threads ? { threads } : {}),
        signal: abort.signal,
      },
    );
  } catch (thrown) {
    if (!abort.signal.aborted) throw thrown;
    printLine(io.stderr, 'misas fit: cancelled; no card written');
    return EXIT_FAILED;
  } finally {
    disarmInterrupt();
  }
  const written = values['write-card'] ? await writeFitCard(report, { force: values.force === true }) : undefined;
  if (values.json) {
    printLine(io.stdout, JSON.stringify({ ...report, ...(written ? { cardWritten: written } : {}) }, null, 2));
    return 0;
  }
  printLine(io.stdout, formatFitReport(report));
  if (written) {
    printLine(
      io.stdout,
      `\n${written.replaced ? 'updated' : 'wrote'} ${written.file}: ${written.fields.map((field) => `${field} ${JSON.stringify(writableFitFields(report)[field])}`).join(', ')}`,
    );
    const skipped = Object.keys(report.cardFields).filter((field) => !written.fields.includes(field));
    if (skipped.length)
      printLine(io.stdout, `not written (the model card has no such field in this version): ${skipped.join(', ')}`);
  } else if (Object.keys(report.cardFields).length) {
    printLine(io.stdout, `\nto save the winner as the model's card: add --write-card`);
  }
  return 0;
}

export function isFitUsageError(thrown: unknown): thrown is FitUsageError {
  return thrown instanceof FitUsageError;
}
