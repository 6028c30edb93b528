import type { ValidateWheelsOptions } from '../../pipeline/validate-wheels';

/** Options of the validate-wheels executor (see schema.json for each one's meaning): the pipeline's, less what Nx supplies and test hooks. */
export type ValidateWheelsExecutorSchema = Omit<ValidateWheelsOptions, 'workspaceRoot' | 'projectRoot' | 'projectName' | 'env' | 'identifiers' | 'tools' | 'concurrency' | 'toolchain'>;
