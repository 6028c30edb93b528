import type { PublishOptions } from '../../pipeline/publish';

/** Options of the publish executor (see schema.json for each one's meaning): the pipeline's, less what Nx supplies and test hooks. */
export type PublishExecutorSchema = Omit<PublishOptions, 'workspaceRoot' | 'projectRoot' | 'projectName' | 'env' | 'identifiers' | 'backoffMs' | 'now'>;
