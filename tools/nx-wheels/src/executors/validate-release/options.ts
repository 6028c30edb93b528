import { TokenProject, withSchemaDefaults } from '../../core/schema-options';
import schema from './schema.json';
import type { ValidateReleaseExecutorSchema } from './schema';

/**
 * The validate-release options with schema.json's defaults filled in and `{projectRoot}` resolved; the
 * executor and the pipeline both call it (Nx supplies defaults but not tokens, direct callers neither).
 */
export function normalizeOptions<T extends ValidateReleaseExecutorSchema & TokenProject>(
  o: T,
): T & Required<Pick<ValidateReleaseExecutorSchema, 'mode' | 'changelog' | 'notesFile'>> {
  return withSchemaDefaults(schema, o) as T & Required<Pick<ValidateReleaseExecutorSchema, 'mode' | 'changelog' | 'notesFile'>>;
}
