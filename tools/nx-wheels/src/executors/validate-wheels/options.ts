import { TokenProject, withSchemaDefaults } from '../../core/schema-options';
import schema from './schema.json';
import type { ValidateWheelsExecutorSchema } from './schema';

/**
 * The validate-wheels options with schema.json's defaults filled in and `{projectRoot}` resolved; the
 * executor and the pipeline both call it (Nx supplies defaults but not tokens, direct callers neither).
 */
export function normalizeOptions<T extends ValidateWheelsExecutorSchema & TokenProject>(
  o: T,
): T & Required<Pick<ValidateWheelsExecutorSchema, 'wheelDir' | 'platforms' | 'maxSize' | 'externalChecks' | 'twineStrict'>> {
  return withSchemaDefaults(schema, o) as T &
    Required<Pick<ValidateWheelsExecutorSchema, 'wheelDir' | 'platforms' | 'maxSize' | 'externalChecks' | 'twineStrict'>>;
}
