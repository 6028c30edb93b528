import { TokenProject, withSchemaDefaults } from '../../core/schema-options';
import schema from './schema.json';
import type { PublishExecutorSchema } from './schema';

/** The options schema.json gives a default for: always set after {@link normalizeOptions}. */
type Defaulted = Required<
  Pick<
    PublishExecutorSchema,
    'wheelDir' | 'repositoryUrl' | 'preflight' | 'allowPartial' | 'attestations' | 'validate' | 'platforms' | 'externalChecks' | 'retries' | 'timeoutSeconds' | 'deadlineSeconds'
  >
>;

/**
 * The publish options with schema.json's defaults filled in and `{projectRoot}` resolved; the
 * executor and the pipeline both call it (Nx supplies defaults but not tokens, direct callers neither).
 */
export function normalizeOptions<T extends PublishExecutorSchema & TokenProject>(o: T): T & Defaulted {
  return withSchemaDefaults(schema, o) as T & Defaulted;
}
