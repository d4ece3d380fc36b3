/**
 * Pointwise intensity transforms (brightness, contrast, gamma): each voxel's new value is a
 * function of its old value alone, fixed per channel by the parameter and, for some, by a
 * statistic of the channel (its mean, its range). This factory is their shared body: the kind,
 * the optional `clamp` option, the clamp target and the channel-by-channel mapping.
 */
import type { SampleType } from '../../sampleType';
import type { Volume, VoxelArray } from '../../volume';
import { defineTransform } from '../define';
import type { StringOption, TransformInput, TransformOutput, TransformSpec } from '../types';
import { mapChannels } from './channels';
import { clampTarget, type ClampMode } from './clamp';

/**
 * The new values of one channel's voxels, or the channel itself to leave it unchanged. Each
 * transform keeps its own voxel loop: a loop shared through a per-voxel callback was 3–10× slower.
 */
export type ChannelMap = (channel: VoxelArray) => ArrayLike<number>;

export interface PointwiseDefinition extends Omit<TransformSpec, 'kind' | 'options' | 'apply'> {
  /** The clamp option with this transform's default (clampOption); without it nothing is clipped and the transform takes no options. */
  clamp?: StringOption<ClampMode>;
  /**
   * The mapping of each channel at parameter `value`. `target` is the type a dtype-range clamp
   * will cast to (undefined when nothing is cast), for transforms that then follow PIL's integer arithmetic.
   */
  channelMap(value: number, image: Volume, target: SampleType | undefined): ChannelMap;
}

function mapImage(
  channelMap: PointwiseDefinition['channelMap'],
  input: TransformInput,
  value: number,
  clamp: ClampMode,
): TransformOutput {
  return mapChannels(input, channelMap(value, input.image, clampTarget(clamp, input.image)), clamp);
}

export function pointwiseTransform(definition: PointwiseDefinition): TransformSpec {
  const { clamp, channelMap, ...facts } = definition;
  return clamp
    ? defineTransform({
        ...facts,
        kind: 'intensity',
        options: { clamp },
        apply: (input, value, options) => mapImage(channelMap, input, value, options.clamp),
      })
    : defineTransform({
        ...facts,
        kind: 'intensity',
        options: {},
        apply: (input, value) => mapImage(channelMap, input, value, 'none'),
      });
}
