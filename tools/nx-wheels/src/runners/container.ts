/** Detecting a running container engine (what cibuildwheel needs for Linux wheels). */
import { capture } from './process';

/**
 * The first of docker, podman whose `info` succeeds (i.e. a daemon/engine actually runs), or
 * null. Honours `CIBW_CONTAINER_ENGINE` when it names one of them.
 */
export async function detectContainerEngine(env: Record<string, string | undefined> = process.env): Promise<'docker' | 'podman' | null> {
  const configured = /^(docker|podman)\b/.exec(env['CIBW_CONTAINER_ENGINE'] ?? '')?.[1] as 'docker' | 'podman' | undefined;
  const order: Array<'docker' | 'podman'> = configured ? [configured] : ['docker', 'podman'];
  for (const engine of order) {
    try {
      // Plain `info` (no --format: docker and podman name their fields differently) exits non-zero
      // when the engine cannot be reached.
      // The same environment (PATH, DOCKER_HOST) that cibuildwheel will run with.
      const r = await capture(engine, ['info'], { env, timeoutMs: 20_000 });
      if (r.exitCode === 0) return engine;
    } catch {
      /* not installed */
    }
  }
  return null;
}
