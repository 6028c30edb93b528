/**
 * @quiver/nx-wheels: Nx plugin entry point. `createNodes` (also exported as `createNodesV2`,
 * plugin/nodes.ts) infers a wheel project per pyproject.toml; `createDependencies`
 * (plugin/dependencies.ts) adds its edges to CMake-referenced and declared projects.
 */
import { createNodesV2 } from './plugin/nodes';

export { createNodesV2, pluginLocation, workspaceLockfiles } from './plugin/nodes';
export { createDependencies } from './plugin/dependencies';
export type { NxWheelsPluginOptions } from './plugin/options';

/** Same as {@link createNodesV2} (Nx 22+ reads `createNodes` with this signature). */
export const createNodes = createNodesV2;
