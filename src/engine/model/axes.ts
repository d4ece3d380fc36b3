/**
 * Where a tensor layout puts its channel and spatial axes: the card's resolvers, the model
 * runner and the fit check all index tensors through these.
 */
import { isChannelsLast, type InputLayout } from './cardTypes';

/** Index of the channel axis for a layout of the given rank. */
export function channelAxis(layout: InputLayout): number {
  return isChannelsLast(layout) ? layout.length - 1 : 1;
}

/** The spatial axes of a tensor in image order (x, y[, z]) = (W, H[, D]), for a layout with a channel axis. */
export function spatialAxes(layout: InputLayout): number[] {
  const rank = layout.length;
  const first = isChannelsLast(layout) ? 1 : 2;
  return Array.from({ length: rank - 2 }, (_, i) => first + (rank - 3 - i));
}

/** Spatial axes, in image order, of a label-map output without a channel axis: [N, (D,) H, W]. */
export function labelSpatialAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => rank - 1 - i);
}
