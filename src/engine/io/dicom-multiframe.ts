/**
 * Enhanced (multi-frame) DICOM as a volume: when every frame has its own Plane Position
 * (Per-frame Functional Groups) at distinct positions along one normal, the frames are one
 * stack, sorted and checked as a series' files are (dicom-stack.ts). Frames at repeated
 * positions (cine, a time series) are not a stack: they stay frames, one chosen by "frame".
 */
import type { DataSet } from 'dicom-parser';
import { MisasInputError } from '../errors';
import { hasRepeatedPositions, stackGeometry, type StackGeometry, type StackPlane } from './dicom-stack';

/** Functional Groups (DICOM PS3.3 C.7.6.16): each macro is a one-item sequence inside a group. */
const FG = {
  shared: 'x52009229',
  perFrame: 'x52009230',
  planePosition: 'x00209113',
  planeOrientation: 'x00209116',
  pixelMeasures: 'x00289110',
  pixelValueTransformation: 'x00289145',
  imagePosition: 'x00200032',
  imageOrientation: 'x00200037',
  pixelSpacing: 'x00280030',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
} as const;

/** `count` decimal numbers of a multi-valued element; undefined when any is missing. */
export function decimalNumbers(dataSet: DataSet | undefined, tag: string, count: number): number[] | undefined {
  if (!dataSet) return undefined;
  const values = Array.from({ length: count }, (_, i) => dataSet.floatString(tag, i));
  return values.every((value) => value !== undefined && Number.isFinite(value)) ? (values as number[]) : undefined;
}

/** A frame's macro: its own functional group's, else the shared one's. */
function macro(dataSet: DataSet, frame: number, sequence: string): DataSet | undefined {
  const item = (groups: DataSet | undefined) => groups?.elements[sequence]?.items?.[0]?.dataSet;
  return (
    item(dataSet.elements[FG.perFrame]?.items?.[frame]?.dataSet) ??
    item(dataSet.elements[FG.shared]?.items?.[0]?.dataSet)
  );
}

/** Rescale Slope/Intercept of one frame: its Pixel Value Transformation, else the top-level elements. */
export function frameRescale(dataSet: DataSet, frame: number): { slope: number; intercept: number } {
  const source = macro(dataSet, frame, FG.pixelValueTransformation) ?? dataSet;
  const slope = source.floatString(FG.rescaleSlope) ?? 1;
  const intercept = source.floatString(FG.rescaleIntercept) ?? 0;
  return Number.isFinite(slope) && Number.isFinite(intercept) ? { slope, intercept } : { slope: 1, intercept: 0 };
}

export interface FramePlane extends StackPlane {
  frame: number;
}

/** The frames of `file` as one sorted stack, or undefined when they are not one (see the module comment). */
export function frameStack(file: string, dataSet: DataSet, frames: number): StackGeometry<FramePlane> | undefined {
  if (dataSet.elements[FG.perFrame]?.items?.length !== frames) return undefined;
  const planes: FramePlane[] = [];
  let orientation: number[] | undefined;
  let spacing: [number, number] | undefined;
  for (let frame = 0; frame < frames; frame++) {
    const position = decimalNumbers(macro(dataSet, frame, FG.planePosition), FG.imagePosition, 3);
    const frameOrientation = decimalNumbers(macro(dataSet, frame, FG.planeOrientation), FG.imageOrientation, 6);
    const measures = decimalNumbers(macro(dataSet, frame, FG.pixelMeasures), FG.pixelSpacing, 2);
    if (!position || !frameOrientation || !measures) return undefined;
    const frameSpacing: [number, number] = [measures[1], measures[0]]; // Pixel Spacing is (row, column)
    orientation ??= frameOrientation;
    spacing ??= frameSpacing;
    if (frameOrientation.some((value, i) => Math.abs(value - orientation![i]) > 1e-4))
      throw new MisasInputError(
        file,
        `frame ${frame} has another orientation (${frameOrientation.join('\\')}) than frame 0 (${orientation.join('\\')}); a volume needs one grid`,
      );
    if (frameSpacing.some((value, i) => Math.abs(value - spacing![i]) > 1e-4 * spacing![i]))
      throw new MisasInputError(file, `frame ${frame} has another Pixel Spacing than frame 0; a volume needs one grid`);
    planes.push({ label: `frame ${frame}`, position, frame });
  }
  if (!orientation || !spacing || hasRepeatedPositions(orientation, planes)) return undefined;
  return stackGeometry(file, orientation, spacing, planes);
}
