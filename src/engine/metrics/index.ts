/** Per-class segmentation metrics (docs/ALGORITHMS.md, "Metrics"). */
export * from './types';
export { computeMetrics, confusionMatrix, type MetricsOptions } from './compute';
export { dice, iou, precision, recall, bothEmpty } from './overlap';
export { surfaceDistances, maskEdges, directedDistances, type SurfaceDistances } from './surface';
export { distanceToFeatures, squaredDistanceTransform } from './edt';
export { percentileOfSorted } from './percentile';
export { meanSkippingNull, type NullSkippingMean } from './average';
export { encodeMetricValue, decodeMetricValue, type EncodedMetricValue } from './json';
export { checkSameGrid } from './grid';
