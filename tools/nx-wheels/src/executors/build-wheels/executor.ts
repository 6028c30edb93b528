import type { ExecutorContext } from '@nx/devkit';
import { buildWheels } from '../../pipeline/build-wheels';
import { runExecutorBody } from '../run';
import type { BuildWheelsExecutorSchema } from './schema';

/**
 * Nx executor `@quiver/nx-wheels:build-wheels`: see schema.json. `CIBW_*` environment variables
 * are passed to cibuildwheel and honoured by the native engine.
 */
export default async function buildWheelsExecutor(options: BuildWheelsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projects = context.projectsConfigurations!.projects;
  const projectRoot = projects[projectName].root;
  return runExecutorBody('build-wheels', async () => {
    // Every project (name -> root): the build stages the tracked sources of the projects this one depends on.
    await buildWheels({ ...options, workspaceRoot: context.root, projectRoot, projectName, projects });
  });
}
