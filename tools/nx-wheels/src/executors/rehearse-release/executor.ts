import type { ExecutorContext } from '@nx/devkit';
import { rehearseRelease } from '../../pipeline/rehearse-release';
import { QuiverError } from '../../core/errors';
import { runExecutorBody } from '../run';
import type { RehearseReleaseExecutorSchema } from './schema';

/**
 * Nx executor `@quiver/nx-wheels:rehearse-release`: see schema.json. Succeeds only when every step
 * of the rehearsal passed; the table, the verdict line and the report say which step failed.
 */
export default async function rehearseReleaseExecutor(options: RehearseReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projects = context.projectsConfigurations!.projects;
  const projectRoot = projects[projectName].root;
  return runExecutorBody('rehearse-release', async () => {
    const report = await rehearseRelease({ ...options, workspaceRoot: context.root, projectRoot, projectName, projects });
    if (!report.ok) throw new QuiverError('REHEARSAL_FAILED', report.error ?? 'a step failed; see the table above.');
  });
}
