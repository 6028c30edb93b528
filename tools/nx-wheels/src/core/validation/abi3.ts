/**
 * Stable ABI (abi3, the limited API, PEP 384): whether a project declares it, and from which
 * CPython on, as build back-ends keep it. A project that declares `cpXY` ships, per platform, one
 * `cpXY-abi3-<platform>` wheel serving every selected CPython >= X.Y, as cibuildwheel builds it
 * once and reuses it for the later identifiers. Pure: the pipeline reads the files.
 */
import { parseToml } from '../pyproject';

/** A stable-ABI declaration: the python tag of the oldest CPython served (`cp39`) and where it was read. */
export interface Abi3Declaration {
  pythonTag: string;
  /** e.g. `pyproject.toml [tool.scikit-build] wheel.py-api`. */
  source: string;
}

/** Texts of the files a declaration may live in (absent files omitted), with their display paths. */
export interface Abi3Sources {
  pyproject: { file: string; text: string };
  setupCfg?: { file: string; text: string };
  setupPy?: { file: string; text: string };
  cargoToml?: { file: string; text: string };
}

const table = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** `cp39` / `cp312` from a py-api / py_limited_api value; null for `py3`, `cp313t`, empty. */
function cpTag(v: unknown): string | null {
  return typeof v === 'string' && /^cp3\d+$/.test(v.trim()) ? v.trim() : null;
}

/** `cp39` from PyO3's `abi3-py39` feature (optionally `pyo3/abi3-py39`) among `features`. */
function pyo3Feature(features: unknown): string | null {
  if (!Array.isArray(features)) return null;
  for (const f of features) {
    const m = typeof f === 'string' ? /^(?:pyo3\/)?abi3-py(3)(\d+)$/.exec(f) : null;
    if (m) return `cp${m[1]}${m[2]}`;
  }
  return null;
}

/** `py_limited_api = cp39` (or `py-limited-api`) in the [bdist_wheel] section of setup.cfg. */
function setupCfgLimitedApi(text: string): string | null {
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const s = /^\[([^\]]+)\]$/.exec(line);
    if (s) section = s[1].trim();
    else if (section === 'bdist_wheel') {
      const m = /^py[_-]limited[_-]api\s*[=:]\s*(\S+)$/.exec(line);
      if (m) return cpTag(m[1]);
    }
  }
  return null;
}

/**
 * The project's stable-ABI declaration, read where the build back-ends keep it, first match wins:
 * `[tool.nx-wheels] abi3` (explicit override); scikit-build-core `[tool.scikit-build] wheel.py-api`;
 * setuptools `[tool.distutils.bdist_wheel] py-limited-api`, setup.cfg `[bdist_wheel] py_limited_api`
 * or `"py_limited_api": "cp39"` in setup.py's bdist_wheel options; maturin `[tool.maturin] features`
 * or Cargo.toml's pyo3 dependency features (`abi3-py39`).
 * @returns the declaration, or null when the project builds version-specific wheels
 * @throws QuiverError `PYPROJECT_SYNTAX` when pyproject.toml is not TOML (a broken Cargo.toml is ignored)
 */
export function readAbi3Declaration(src: Abi3Sources): Abi3Declaration | null {
  const doc = parseToml(src.pyproject.text, src.pyproject.file);
  const tool = table(doc['tool']) ?? {};
  const p = src.pyproject.file;
  const nxw = cpTag(table(tool['nx-wheels'])?.['abi3']);
  if (nxw) return { pythonTag: nxw, source: `${p} [tool.nx-wheels] abi3` };
  const skb = table(tool['scikit-build']);
  const pyApi = cpTag(table(skb?.['wheel'])?.['py-api'] ?? skb?.['wheel.py-api']);
  if (pyApi) return { pythonTag: pyApi, source: `${p} [tool.scikit-build] wheel.py-api` };
  const bdist = table(table(tool['distutils'])?.['bdist_wheel']);
  const lim = cpTag(bdist?.['py-limited-api'] ?? bdist?.['py_limited_api']);
  if (lim) return { pythonTag: lim, source: `${p} [tool.distutils.bdist_wheel] py-limited-api` };
  if (src.setupCfg) {
    const t = setupCfgLimitedApi(src.setupCfg.text);
    if (t) return { pythonTag: t, source: `${src.setupCfg.file} [bdist_wheel] py_limited_api` };
  }
  if (src.setupPy) {
    const m = /["']py_limited_api["']\s*:\s*["'](cp3\d+)["']/.exec(src.setupPy.text);
    if (m) return { pythonTag: m[1], source: `${src.setupPy.file} bdist_wheel py_limited_api` };
  }
  const maturin = pyo3Feature(table(tool['maturin'])?.['features']);
  if (maturin) return { pythonTag: maturin, source: `${p} [tool.maturin] features` };
  if (src.cargoToml) {
    let cargo: Record<string, unknown> | null;
    try {
      cargo = parseToml(src.cargoToml.text, src.cargoToml.file);
    } catch {
      cargo = null;
    }
    const pyo3 = table(table(cargo?.['dependencies'])?.['pyo3']);
    const t = pyo3Feature(pyo3?.['features']);
    if (t) return { pythonTag: t, source: `${src.cargoToml.file} [dependencies] pyo3 features` };
  }
  return null;
}

/** The CPython 3 minor version of a python tag: `cp312` -> 12, `cp39` -> 9; NaN for other tags. */
export function cpMinor(pythonTag: string): number {
  const m = /^cp3(\d+)t?$/.exec(pythonTag);
  return m ? Number(m[1]) : NaN;
}
