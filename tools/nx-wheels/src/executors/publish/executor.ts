import type { ExecutorContext } from '@nx/devkit';
import { publish } from '../../pipeline/publish';
import { runExecutorBody } from '../run';
import { normalizeOptions } from './options';
import type { PublishExecutorSchema } from './schema';

/**
 * Nx executor `@quiver/nx-wheels:publish` (also the inferred `nx-release-publish` target, which
 * `nx release publish` runs with `dryRun` / `NX_DRY_RUN`): validate, then upload the wheels that
 * are not on the index yet. See schema.json.
 */
export default async function publishExecutor(options: PublishExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projectRoot = context.projectsConfigurations!.projects[projectName].root;
  return runExecutorBody('publish', async () => {
    await publish(normalizeOptions({ ...options, workspaceRoot: context.root, projectRoot, projectName }));
  });
}
