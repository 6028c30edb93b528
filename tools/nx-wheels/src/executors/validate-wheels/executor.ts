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
    // Option and configuration errors reach runExecutorBody, which prints them `CODE: message` (docs/validation-codes.md).
    const report = await validateWheels({ ...options, workspaceRoot: context.root, projectRoot, projectName });
    if (!report.ok) {
      const errors = report.findings.filter((f) => f.severity === 'error');
      const files = new Set(errors.filter((f) => f.file !== null).map((f) => f.file)).size;
      const set = errors.filter((f) => f.file === null).length;
      const where = [files ? `${files} file(s)` : '', set ? `${set} about the directory as a whole` : ''].filter(Boolean).join(', ');
      throw new QuiverError(
        'VALIDATION_FAILED',
        `${errors.length} finding(s) failed in ${report.wheelDir} (${where}); each code and its fix is listed above (docs/validation-codes.md explains every code) and in the JSON report.`,
      );
    }
  });
}
