import { TokenProject, withSchemaDefaults } from '../../core/schema-options';
import schema from './schema.json';
import type { BuildWheelsExecutorSchema } from './schema';

/**
 * The build-wheels options with schema.json's defaults filled in and `{projectRoot}` resolved; the
 * executor and the pipeline both call it (Nx supplies defaults but not tokens, direct callers neither).
 */
export function normalizeOptions<T extends BuildWheelsExecutorSchema & TokenProject>(
  o: T,
): T & Required<Pick<BuildWheelsExecutorSchema, 'platform' | 'outputDir' | 'test'>> {
  return withSchemaDefaults(schema, o) as T & Required<Pick<BuildWheelsExecutorSchema, 'platform' | 'outputDir' | 'test'>>;
}
