import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { testWheels } from '../../pipeline/test-wheels';
import { runExecutorBody } from '../run';
import type { TestWheelsExecutorSchema } from './schema';

/** Nx executor `@quiver/nx-wheels:test-wheels`: see schema.json. */
export default async function testWheelsExecutor(options: TestWheelsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectRoot = context.projectsConfigurations!.projects[context.projectName!].root;
  return runExecutorBody('test', async () => {
    await testWheels({ workspaceRoot: context.root, projectRoot, wheelDir: options.wheelDir ?? join('dist', projectRoot, 'wheelhouse'), python: options.python });
  });
}
