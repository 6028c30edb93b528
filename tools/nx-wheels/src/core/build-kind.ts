/**
 * Which pyproject.toml files are wheel projects, and whether a project's back-end builds one
 * pure-Python wheel (`py3-none-any`) or compiled wheels (one per cibuildwheel identifier).
 * Pure: parsed pyproject.toml and at most two small file texts in, a decision with its reason out.
 * It runs in createNodes on every Nx command, so it never starts a process and never walks a tree.
 *
 * The rule (README "Pure-Python and compiled projects"), first match wins:
 * 1. The plugin option `pure` (core/project-config), else `[tool.nx-wheels] pure = true | false`.
 * 2. A back-end that only compiles: scikit-build-core, meson-python, maturin, sip, py-build-cmake,
 *    enscons -> compiled.
 * 3. A back-end that builds pure wheels unless configured to compile:
 *    - hatchling: compiled when a wheel build hook that compiles is configured (`mypyc`, `cython`,
 *      `scikit-build`, `build-scripts`, or a `custom` hook whose file sets `pure_python` /
 *      `infer_tag`), else pure;
 *    - poetry-core: compiled with `[tool.poetry.build]` (a build script), else pure;
 *    - pdm-backend: compiled with `[tool.pdm.build] run-setuptools = true`, else pure;
 *    - flit-core, uv_build, whey: pure.
 * 4. setuptools (`setuptools.build_meta`, its `__legacy__` form, or no `build-backend`):
 *    compiled when `[tool.setuptools] ext-modules` or `[tool.setuptools-rust]` is set or setup.py
 *    declares extensions (`ext_modules`, `Extension(`, `cythonize(`, `build_ext`, `cffi_modules`,
 *    `rust_extensions`, `mypycify(`) or a `[tool.cibuildwheel]` table is present (setup.py is code: a
 *    text search can miss how it builds extensions, and the table says it does), else pure.
 *    (A declarative back-end's settings are known, so for 3. the table does not decide: a hatchling
 *    package with `[tool.cibuildwheel]` is still pure.)
 * 5. Any other back-end: compiled when `[tool.cibuildwheel]` is present (cibuildwheel refuses pure
 *    wheels, so the table says the project compiles), else pure.
 * Either way the build checks what the back-end really produced (a pure build that yields a
 * platform wheel, or a compiled build that yields `py3-none-any`, stops with the fix).
 */
import type { PythonProject } from './pyproject';

/** `pure`: one `py3-none-any` wheel built with pypa/build; `compiled`: one wheel per cibuildwheel identifier. */
export type BuildKind = 'pure' | 'compiled';

/** What {@link decideBuildKind} decided, and why in words for the plan and the project's metadata. */
export interface BuildKindDecision {
  kind: BuildKind;
  reason: string;
}

/** The texts the rule may read beside pyproject.toml (null when the file is absent or not needed). */
export interface BackendFiles {
  /** `setup.py` of the project (read only for setuptools back-ends). */
  setupPy?: string | null;
  /** A hatchling `custom` build hook's file (default `hatch_build.py`), read only when such a hook is configured. */
  hatchCustomHook?: string | null;
}

const COMPILED_BACKENDS: Record<string, string> = {
  'scikit_build_core.build': 'scikit-build-core',
  'scikit_build_core.setuptools.build_meta': 'scikit-build-core',
  mesonpy: 'meson-python',
  maturin: 'maturin',
  'sipbuild.api': 'sip',
  'py_build_cmake.build': 'py-build-cmake',
  'enscons.api': 'enscons',
};
const SETUPTOOLS_BACKENDS = new Set(['setuptools.build_meta', 'setuptools.build_meta:__legacy__']);
const HATCH_COMPILING_HOOKS = ['mypyc', 'cython', 'scikit-build', 'build-scripts'];

/** Whether a setup.py declares extension modules (a text search, not an evaluation). */
const SETUP_PY_EXTENSIONS = /\b(ext_modules|cythonize\s*\(|build_ext|cffi_modules|rust_extensions|mypycify\s*\()|\b\w*Extension\s*\(/;

function table(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? (v as Record<string, unknown>) : null;
}
function at(root: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    const t = table(v);
    if (!t) return undefined;
    v = t[k];
  }
  return v;
}

/**
 * Whether a pyproject.toml is a wheel project: not opted out with `[tool.nx-wheels] skip = true`,
 * and either a `[build-system]` (every PEP 517 back-end builds wheels; none means setuptools) or a
 * `[tool.cibuildwheel]` table.
 */
export function isWheelProject(p: Pick<PythonProject, 'buildSystem' | 'cibuildwheel' | 'nxWheels'>): boolean {
  if (p.nxWheels.skip === true) return false;
  return p.buildSystem !== null || p.cibuildwheel !== null;
}

/** The hatchling build hooks a project configures (wheel target's and the global ones), with the custom hook's path. */
export function hatchHooks(tool: Record<string, unknown>): { names: string[]; customPath: string | null } {
  const names: string[] = [];
  let customPath: string | null = null;
  for (const path of [['hatch', 'build', 'hooks'], ['hatch', 'build', 'targets', 'wheel', 'hooks']]) {
    const hooks = table(at(tool, path));
    for (const [name, cfg] of Object.entries(hooks ?? {})) {
      if (!names.includes(name)) names.push(name);
      if (name === 'custom') {
        const p = table(cfg)?.['path'];
        customPath = typeof p === 'string' ? p : 'hatch_build.py';
      }
    }
  }
  return { names, customPath };
}

/**
 * Decide whether a project's back-end builds a pure or a compiled wheel (the rule is in this
 * module's comment).
 * @param p the parsed pyproject.toml
 * @param files setup.py / hatch custom hook text where the rule needs them
 * @param override the plugin option `pure` for this project, when given (it beats pyproject's own `pure`)
 */
export function decideBuildKind(p: Pick<PythonProject, 'buildSystem' | 'cibuildwheel' | 'nxWheels' | 'tool'>, files: BackendFiles = {}, override?: boolean): BuildKindDecision {
  if (override !== undefined) return { kind: override ? 'pure' : 'compiled', reason: `plugin option pure = ${override}` };
  if (p.nxWheels.pure !== undefined) return { kind: p.nxWheels.pure ? 'pure' : 'compiled', reason: `[tool.nx-wheels] pure = ${p.nxWheels.pure}` };
  const backend = p.buildSystem?.backend ?? null;
  const tool = p.tool;
  if (backend !== null && COMPILED_BACKENDS[backend]) return { kind: 'compiled', reason: `back-end ${COMPILED_BACKENDS[backend]} (${backend}) compiles` };
  switch (backend) {
    case 'hatchling.build': {
      const hooks = hatchHooks(tool);
      const compiling = hooks.names.filter((h) => HATCH_COMPILING_HOOKS.includes(h));
      if (compiling.length) return { kind: 'compiled', reason: `hatchling with the ${compiling.join(', ')} build hook` };
      if (hooks.customPath !== null && files.hatchCustomHook && /\b(pure_python|infer_tag)\b/.test(files.hatchCustomHook)) {
        return { kind: 'compiled', reason: `hatchling with a custom build hook (${hooks.customPath}) that sets pure_python / infer_tag` };
      }
      return { kind: 'pure', reason: 'back-end hatchling, no compiling build hook' };
    }
    case 'poetry.core.masonry.api':
    case 'poetry.masonry.api':
      if (at(tool, ['poetry', 'build']) !== undefined) return { kind: 'compiled', reason: 'poetry-core with a [tool.poetry.build] script' };
      return { kind: 'pure', reason: 'back-end poetry-core, no build script' };
    case 'pdm.backend':
    case 'pdm.pep517.api':
      if (at(tool, ['pdm', 'build', 'run-setuptools']) === true) return { kind: 'compiled', reason: 'pdm-backend with [tool.pdm.build] run-setuptools = true' };
      return { kind: 'pure', reason: 'back-end pdm-backend, no setuptools run' };
    case 'flit_core.buildapi':
    case 'flit.buildapi':
      return { kind: 'pure', reason: 'back-end flit-core builds pure wheels only' };
    case 'uv_build':
    case 'whey':
      return { kind: 'pure', reason: `back-end ${backend} builds pure wheels only` };
  }
  if (backend === null || SETUPTOOLS_BACKENDS.has(backend)) {
    const name = backend ?? 'setuptools (no build-backend)';
    if (at(tool, ['setuptools', 'ext-modules']) !== undefined) return { kind: 'compiled', reason: `${name} with [tool.setuptools] ext-modules` };
    if (at(tool, ['setuptools-rust']) !== undefined) return { kind: 'compiled', reason: `${name} with [tool.setuptools-rust]` };
    if (files.setupPy && SETUP_PY_EXTENSIONS.test(files.setupPy)) return { kind: 'compiled', reason: `${name}; setup.py declares extension modules` };
    // setup.py may build extensions in ways a text search misses; a [tool.cibuildwheel] table says it does.
    if (p.cibuildwheel !== null) return { kind: 'compiled', reason: `${name} with [tool.cibuildwheel]` };
    return { kind: 'pure', reason: `${name}; no extension modules in pyproject.toml or setup.py` };
  }
  if (p.cibuildwheel !== null) return { kind: 'compiled', reason: `back-end ${backend} with [tool.cibuildwheel]` };
  return { kind: 'pure', reason: `back-end ${backend} is not known to compile and there is no [tool.cibuildwheel]; set [tool.nx-wheels] pure = false if it does` };
}

/** Whether {@link decideBuildKind} needs setup.py (setuptools back-ends without pyproject extension settings). */
export function needsSetupPy(p: Pick<PythonProject, 'buildSystem' | 'nxWheels'>): boolean {
  const backend = p.buildSystem?.backend ?? null;
  return p.nxWheels.pure === undefined && (backend === null || SETUPTOOLS_BACKENDS.has(backend));
}
