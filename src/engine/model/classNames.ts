/**
 * Class names as models and bundles already write them: a JSON list, comma-separated text, or
 * an index map such as {"0": "background", "1": "liver"} (MONAI's channel_def, many exporters'
 * metadata_props "classes" / "labels").
 */

export type ParsedClassNames = { names: string[] } | { problem: string };

/** Names from an index map: keys must be the integers 0 … n − 1 (in any order), values non-empty strings. */
export function namesFromIndexMap(map: Record<string, unknown>): ParsedClassNames {
  const entries = Object.entries(map);
  const names: string[] = [];
  for (const [key, value] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || String(index) !== key.trim()) {
      return { problem: `its keys must be the label values 0 … ${entries.length - 1}, not "${key}"` };
    }
    if (typeof value !== 'string' || value.trim() === '') return { problem: `label ${key} has no name` };
    names[index] = value.trim();
  }
  return { names };
}

/** Any of the three forms; the names must be at least two and distinct (the card's rule). */
export function parseClassNames(value: unknown): ParsedClassNames {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value.split(',').map((name) => name.trim());
    }
    if (typeof parsed === 'string') parsed = parsed.split(',').map((name) => name.trim());
  }
  let names: string[];
  if (Array.isArray(parsed)) {
    if (parsed.some((name) => typeof name !== 'string' || name.trim() === ''))
      return { problem: 'a class name is empty or not text' };
    names = parsed.map((name: string) => name.trim());
  } else if (parsed && typeof parsed === 'object') {
    const fromMap = namesFromIndexMap(parsed as Record<string, unknown>);
    if ('problem' in fromMap) return fromMap;
    names = fromMap.names;
  } else {
    return { problem: 'expected a list of names, comma-separated names or an index map {"0": "background", …}' };
  }
  if (names.length < 2) return { problem: 'fewer than two class names' };
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) return { problem: `"${repeated}" is named twice` };
  return { names };
}
