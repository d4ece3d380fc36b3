/**
 * JSON has no Infinity (JSON.stringify writes null, which would read back as "undefined
 * metric"). Metric values stay numbers in memory; results writers encode them with
 * `encodeMetricValue` ("inf"/"-inf" strings, as in the golden files) and readers decode with
 * `decodeMetricValue`. NaN never comes out of the metrics; it is written as "nan" if it ever does.
 */
import type { MetricValue } from './types';

export type EncodedMetricValue = number | null | 'inf' | '-inf' | 'nan';

export function encodeMetricValue(value: MetricValue): EncodedMetricValue {
  if (value === null || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

export function decodeMetricValue(value: EncodedMetricValue): MetricValue {
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  if (value === 'nan') return NaN;
  return value;
}
