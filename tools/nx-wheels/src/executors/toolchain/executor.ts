import type { ExecutorContext } from '@nx/devkit';
import { relative } from 'node:path';
import { loadToolchain } from '../../pipeline/toolchain';
import { runExecutorBody } from '../run';
import type { ToolchainExecutorSchema } from './schema';

/** Nx executor `@quiver/nx-wheels:python-toolchain`: see schema.json. */
export default async function toolchainExecutor(options: ToolchainExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return runExecutorBody('python-toolchain', async () => {
    const t = await loadToolchain(context.root, options.python);
    console.log(`toolchain ready: ${relative(context.root, t.dir)} (CPython ${t.host.fullVersion})`);
  });
}
