import type { ExecutorContext } from '@nx/devkit';
import { QuiverError } from '../../core/errors';
import { validateWheels } from '../../pipeline/validate-wheels';
import { runExecutorBody } from '../run';
import type { ValidateWheelsExecutorSchema } from './schema';

/**
 * Nx executor `@quiver/nx-wheels:validate-wheels`: see schema.json. Fails (non-zero exit) when any
 * check fails; every failing check is printed first, each with its code and fix.
 */
export default async function validateWheelsExecutor(options: ValidateWheelsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projectRoot = context.projectsConfigurations!.projects[projectName].root;
  return runExecutorBody('validate-wheels', async () => {
    const report = await validateWheels({ ...options, workspaceRoot: context.root, projectRoot, projectName });
    if (!report.ok) {
      const files = new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.file ?? '(wheelhouse)')).size;
      throw new QuiverError(
        'VALIDATION_FAILED',
        `${report.counts.errors} check(s) failed in ${files} file(s) of ${report.wheelDir}; each code and its fix is listed above (docs/validation-codes.md explains every code) and in the JSON report.`,
      );
    }
  });
}
