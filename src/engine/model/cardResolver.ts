/**
 * The bookkeeping shared by the card's field resolvers: which source gave each field, what was
 * assumed (listed as unresolved, so the user sees it), and the message when a card contradicts
 * the model, naming where the claim came from.
 */
import { MisasInputError } from '../errors';
import type { CardField, CardSource, ModelCardFile, UnresolvedItem } from './cardTypes';
import type { ModelInspection, TensorDescription } from './inspect';
import type { BundleCard } from './monaiBundle';
import { sidecarPath } from './sidecar';

/** What every resolver needs: the model, the given card, and where to record sources and assumptions. */
export interface Resolver {
  path: string;
  input: TensorDescription;
  given: ModelCardFile;
  /** An orientation the context suggests without stating it (a MONAI bundle's loading convention). */
  orientationHint?: BundleCard['orientationHint'];
  sources: Record<CardField, CardSource>;
  unresolved: UnresolvedItem[];
  /** Records that a field came from the sidecar or the metadata. */
  stated(field: CardField): void;
  assume(field: CardField, assumed: unknown, reason: string): void;
  conflict(field: keyof ModelCardFile, says: string, but: string): never;
}

export function createResolver(
  inspection: ModelInspection,
  fromMetadata: ModelCardFile,
  sidecar: ModelCardFile | undefined,
  bundle: BundleCard | undefined,
): Resolver {
  const path = inspection.path;
  const fromBundle = bundle?.card ?? {};
  const sourceOf = (field: keyof ModelCardFile): CardSource =>
    sidecar?.[field] !== undefined
      ? 'sidecar'
      : fromMetadata[field] !== undefined
        ? 'metadata'
        : fromBundle[field] !== undefined
          ? 'monai-bundle'
          : 'default';
  const resolver: Resolver = {
    path,
    input: inspection.inputs[0],
    orientationHint: bundle?.orientationHint,
    given: { ...fromBundle, ...fromMetadata, ...(sidecar ?? {}) },
    sources: {} as Record<CardField, CardSource>,
    unresolved: [],
    stated(field) {
      resolver.sources[field] = sourceOf(field);
    },
    assume(field, assumed, reason) {
      resolver.sources[field] = 'default';
      resolver.unresolved.push({ field, assumed, reason });
    },
    conflict(field, says, but) {
      const source = sourceOf(field);
      const where =
        source === 'sidecar'
          ? `its card ${sidecarPath(path)}`
          : source === 'monai-bundle'
            ? `its MONAI bundle metadata ${inspection.bundle?.file}`
            : 'its metadata_props';
      throw new MisasInputError(path, `${where} says ${field} ${says}, but ${but}`);
    },
  };
  return resolver;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
