import type { ExecutorContext } from '@nx/devkit';
import { testWheels } from '../../pipeline/test-wheels';
import { runExecutorBody } from '../run';
import type { TestWheelsExecutorSchema } from './schema';

/** Nx executor `@quiver/nx-wheels:test-wheels`: see schema.json. */
export default async function testWheelsExecutor(options: TestWheelsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projectRoot = context.projectsConfigurations!.projects[projectName].root;
  return runExecutorBody('test', async () => {
    await testWheels({ ...options, workspaceRoot: context.root, projectRoot, projectName });
  });
}
