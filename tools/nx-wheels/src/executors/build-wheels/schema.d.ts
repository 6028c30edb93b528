import type { BuildWheelsOptions } from '../../pipeline/build-wheels';

/** Options of the build-wheels executor (see schema.json for each one's meaning): the pipeline's, less what Nx supplies and test hooks. */
export type BuildWheelsExecutorSchema = Omit<BuildWheelsOptions, 'workspaceRoot' | 'projectRoot' | 'projectName' | 'env' | 'host'>;
