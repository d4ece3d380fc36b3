/** docs/TRANSFORMS.md, generated from the registry so the docs cannot drift from the code. */
import { parameterRangeText } from './range';
import { transforms } from './registry';
import type { TransformSpec } from './types';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function identityText(spec: TransformSpec): string {
  if (spec.identityFor) return 'the input size';
  return spec.identityChangesInput
    ? `${spec.identity} (reference point only: no value leaves the image unchanged)`
    : String(spec.identity);
}

function section(spec: TransformSpec): string {
  const unit = spec.parameter.unit ? ` [${spec.parameter.unit}]` : '';
  const lines = [
    `### \`${spec.name}\` — ${spec.title}`,
    '',
    spec.description,
    '',
    `- kind: **${spec.kind}** (${spec.kind === 'spatial' ? 'the label map is transformed too, with nearest neighbour' : 'the label map is unchanged'})`,
    `- parameter: ${spec.parameter.name}${unit}, ${spec.parameter.scale} axis${spec.parameter.integer ? ', whole numbers' : ''}; values ${parameterRangeText(spec)}`,
    `- identity: ${identityText(spec)}`,
    `- default sweep: ${spec.defaultSweepText}`,
    `- severity levels 1…5 (\`"severities"\`): ${spec.severities?.text ?? 'none'}`,
    `- random: ${spec.random ? 'yes, seeded from the experiment seed (one draw per series and input, scaled by the parameter)' : 'no'}`,
  ];
  const options = Object.entries(spec.options);
  if (options.length) {
    lines.push('', '| option | type | default | meaning |', '|---|---|---|---|');
    for (const [name, option] of options) {
      const type = option.enum ? option.enum.map((v) => `\`${v}\``).join(' \\| ') : option.type;
      lines.push(`| \`${name}\` | ${type} | \`${JSON.stringify(option.default)}\` | ${cell(option.description)} |`);
    }
  }
  return lines.join('\n');
}

export function transformsMarkdown(): string {
  const rows = transforms.map(
    (t) =>
      `| [\`${t.name}\`](#${t.name}--${t.title
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(
          / /g,
          '-',
        )}) | ${t.kind} | ${cell(t.parameter.name)}${t.parameter.unit ? ` [${t.parameter.unit}]` : ''} | ${cell(identityText(t))} | ${cell(t.defaultSweepText)} |`,
  );
  return [
    '# Transforms',
    '',
    '<!-- Generated from src/engine/transforms (npm run generate); do not edit by hand. -->',
    '',
    'Every series of an experiment sweeps one of these transforms. Use the name in `"transform"`, the',
    'options in `"params"`. Conventions (coordinates, interpolation, edges) are in [ALGORITHMS.md](ALGORITHMS.md).',
    '',
    '| name | kind | parameter | identity | default sweep |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '## Severity levels',
    '',
    'A series may give `"severities": [1, 2, 3, 4, 5]` (any of the levels) instead of a sweep: it then',
    'runs these parameter values plus the unchanged input (level 0), its rows carry `severity`, and',
    "the run reports ROOD-MRI's robustness metrics ([ALGORITHMS.md](ALGORITHMS.md#severity-levels-and-benchmark-metrics)).",
    "Lengths from ROOD-MRI in mm become pixels at the input's shorter side / 180 (ROOD-MRI's ~1 mm brain grid).",
    '',
    '| name | levels 1…5 |',
    '|---|---|',
    ...transforms.map((t) => `| \`${t.name}\` | ${cell(t.severities?.text ?? 'none')} |`),
    '',
    ...transforms.map(section).flatMap((s) => [s, '']),
  ].join('\n');
}
