import type { ExecutorContext } from '@nx/devkit';
import { codeLine, secretsFromEnv } from '../../core/errors';
import { validateRelease } from '../../pipeline/validate-release';
import { runExecutorBody } from '../run';
import type { ValidateReleaseExecutorSchema } from './schema';

/**
 * Nx executor `@quiver/nx-wheels:validate-release`: see schema.json. Each failed check is one
 * line on stderr; the summary goes to stdout (and `$GITHUB_STEP_SUMMARY`).
 */
export default async function validateReleaseExecutor(options: ValidateReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const projectName = context.projectName!;
  const projectRoot = context.projectsConfigurations!.projects[projectName].root;
  let passed = false;
  const run = await runExecutorBody('validate-release', async () => {
    const { result, summary, notesFile } = await validateRelease({ ...options, workspaceRoot: context.root, projectRoot, projectName, projectTags: context.projectsConfigurations!.projects[projectName].tags ?? [] });
    process.stdout.write(summary);
    if (result.version) {
      process.stdout.write(`version: ${result.version}\nprerelease: ${result.prerelease}\n`);
    }
    if (notesFile) process.stdout.write(`release notes: ${notesFile}\n`);
    const secrets = secretsFromEnv();
    for (const f of result.failures) process.stderr.write(`${codeLine('validate-release', f.code, f.message, secrets)}\n`);
    passed = result.ok;
  });
  return { success: run.success && passed };
}
