/**
 * Messages between the extension host and the engine host process (child-process IPC with
 * structured clone). Declared once here; both sides import these types.
 */
export interface TransformSummary {
  name: string;
  title: string;
  kind: 'spatial' | 'intensity';
  parameter: string;
  unit: string;
  /** The value that leaves the input unchanged; null where it depends on the input (resize). */
  identity: number | null;
  defaultSweep: string;
}

/** Requests from the extension to the engine host; `id` pairs a request with its response. */
export type EngineRequest =
  | { type: 'hello'; id: number }
  | { type: 'listTransforms'; id: number };

export type EngineResponse =
  | { type: 'hello'; id: number; engineVersion: string; pid: number }
  | { type: 'listTransforms'; id: number; transforms: TransformSummary[] }
  | { type: 'error'; id: number; message: string };
