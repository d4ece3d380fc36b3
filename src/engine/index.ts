/** Public surface of the engine for the CLI, the engine host process and tests. */
export * from './errors';
export * from './volume';
export * from './random';
export * from './version';
export * from './transforms/registry';
export * from './transforms/sweep';
export type * from './transforms/types';
