/** The engine host's answer to "image facts": what the wizard shows beside the normalisation question. */
import { readIntensityFacts, type IntensityFacts } from '../engine/io/intensityFacts';

/** The facts of one image; bad input rejects with a MisasInputError naming the file (sent as an EngineError). */
export function imageFacts(imagePath: string): Promise<IntensityFacts> {
  return readIntensityFacts(imagePath);
}
