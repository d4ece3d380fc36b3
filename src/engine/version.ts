import packageJson from '../../package.json';

/** Engine version recorded in every results file; the package version is its one source. */
export const ENGINE_VERSION: string = packageJson.version;
