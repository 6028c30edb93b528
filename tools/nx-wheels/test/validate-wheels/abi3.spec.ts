/**
 * Stable ABI (abi3): a real abi3 release from PyPI (bcrypt 4.3.0: one cp39-abi3 wheel each for
 * manylinux_2_34_x86_64 and win_amd64, built by maturin/PyO3) validated as a project that declares
 * it in each place build back-ends keep the declaration, with the identifiers the real
 * cibuildwheel selects; and the findings when the declaration and the wheels disagree (with the
 * real markupsafe 3.0.3 version-specific pair).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readAbi3Declaration } from '../../src/core/validation/abi3';
import { reportCodes } from '../../src/core/validation/report';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { thirdPartyWheels } from '../publish/fixtures';
import { tempDir, WORKSPACE } from './fixtures';

const BCRYPT = { name: 'bcrypt', version: '4.3.0', platforms: ['manylinux_2_34_x86_64', 'win_amd64'] };
const PYTHONS = ['cp39', 'cp310', 'cp311', 'cp312', 'cp313'];
const IDS = [...PYTHONS.map((p) => `${p}-manylinux_x86_64`), ...PYTHONS.map((p) => `${p}-win_amd64`)];

/** The real abi3 pair, downloaded once with pip (cached under .nx-wheels/test-downloads/). */
function bcryptWheels(): string[] {
  const dir = join(WORKSPACE, '.nx-wheels', 'test-downloads', `${BCRYPT.name}-${BCRYPT.version}-abi3`);
  const have = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.whl')).sort() : []);
  if (have().length !== 2) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const platform of BCRYPT.platforms) {
      execFileSync('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--only-binary=:all:', '--no-deps', '--platform', platform, '--python-version', '3.13', '--implementation', 'cp', '--abi', 'abi3', '-d', tmp, `${BCRYPT.name}==${BCRYPT.version}`], { stdio: 'pipe' });
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const files = have();
  if (!files.every((f) => f.includes('-cp39-abi3-'))) throw new Error(`unexpected downloads in ${dir}: ${files.join(', ')}`);
  return files.map((f) => join(dir, f));
}

const workspaces: string[] = [];
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));
let WHEELS: string[];
beforeAll(() => {
  WHEELS = bcryptWheels();
}, 10 * 60_000);

/**
 * A project like bcrypt's: pyproject.toml with [project] and a [tool.cibuildwheel] selecting
 * cp39..cp313 on manylinux x86_64 and win_amd64, `extra` appended, `files` beside it, the wheels in
 * its wheelhouse.
 */
function project(extra: string, files: Record<string, string> = {}, wheels = WHEELS, meta = BCRYPT) {
  const ws = tempDir('quiver-abi3-');
  workspaces.push(ws);
  const root = join(ws, 'pkg');
  mkdirSync(join(root, 'wheelhouse'), { recursive: true });
  writeFileSync(
    join(root, 'pyproject.toml'),
    `[project]\nname = "${meta.name}"\nversion = "${meta.version}"\n\n[tool.cibuildwheel]\nbuild = [${PYTHONS.map((p) => `"${p}-*"`).join(', ')}]\nskip = "*-musllinux*"\n\n[tool.cibuildwheel.linux]\narchs = ["x86_64"]\n\n[tool.cibuildwheel.windows]\narchs = ["AMD64"]\n${extra}`,
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  for (const w of wheels) copyFileSync(w, join(root, 'wheelhouse', basename(w)));
  mkdirSync(join(ws, '.nx-wheels'), { recursive: true });
  symlinkSync(join(WORKSPACE, '.nx-wheels', 'toolchain'), join(ws, '.nx-wheels', 'toolchain'), 'dir');
  return { ws, projectRoot: 'pkg', wheelDir: join(root, 'wheelhouse') };
}

async function validate(p: { ws: string; projectRoot: string }, opts: { identifiers?: string[]; platforms?: string } = { identifiers: IDS }) {
  const lines: string[] = [];
  const report = await validateWheels({ workspaceRoot: p.ws, projectRoot: p.projectRoot, projectName: 'pkg', externalChecks: false, platforms: opts.platforms }, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, { env: {}, identifiers: opts.identifiers });
  return { report, codes: reportCodes(report), lines };
}

const DECLARATIONS: Array<[string, string, Record<string, string>, string]> = [
  ['[tool.nx-wheels] abi3', '\n[tool.nx-wheels]\nabi3 = "cp39"\n', {}, 'pkg/pyproject.toml [tool.nx-wheels] abi3'],
  ['scikit-build-core wheel.py-api', '\n[tool.scikit-build]\nwheel.py-api = "cp39"\n', {}, 'pkg/pyproject.toml [tool.scikit-build] wheel.py-api'],
  ['setuptools [tool.distutils.bdist_wheel]', '\n[tool.distutils.bdist_wheel]\npy-limited-api = "cp39"\n', {}, 'pkg/pyproject.toml [tool.distutils.bdist_wheel] py-limited-api'],
  ['setuptools setup.cfg', '', { 'setup.cfg': '[metadata]\nname = bcrypt\n\n[bdist_wheel]\npy_limited_api = cp39\n' }, 'pkg/setup.cfg [bdist_wheel] py_limited_api'],
  ['setuptools setup.py', '', { 'setup.py': 'from setuptools import setup\nsetup(options={"bdist_wheel": {"py_limited_api": "cp39"}})\n' }, 'pkg/setup.py bdist_wheel py_limited_api'],
  ['maturin [tool.maturin] features', '\n[tool.maturin]\nfeatures = ["pyo3/abi3-py39"]\n', {}, 'pkg/pyproject.toml [tool.maturin] features'],
  ['PyO3 in Cargo.toml', '', { 'Cargo.toml': '[package]\nname = "bcrypt-rust"\nversion = "0.1.0"\n\n[dependencies]\npyo3 = { version = "0.23.5", features = ["abi3", "abi3-py39"] }\n' }, 'pkg/Cargo.toml [dependencies] pyo3 features'],
];

describe('a project that declares the stable ABI (real bcrypt 4.3.0 cp39-abi3 pair)', () => {
  it('passes with the identifiers the real cibuildwheel selects: each abi3 wheel serves cp39..cp313 of its platform', async () => {
    const p = project('\n[tool.nx-wheels]\nabi3 = "cp39"\n');
    const { report } = await validate(p, { platforms: 'linux,windows' });
    expect(report.identifiers).toEqual(IDS);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    const served = report.wheels.map((w) => w.checks.find((c) => c.check === 'wheelhouse')!.detail);
    expect(served).toEqual([`${IDS.slice(0, 5).join(', ')} (stable ABI)`, `${IDS.slice(5).join(', ')} (stable ABI)`]);
  }, 120_000);

  it.each(DECLARATIONS)('reads the declaration from %s', async (_label, extra, files, source) => {
    const p = project(extra, files);
    const { report } = await validate(p);
    expect(report.findings).toEqual([]);
    const text = (f: string) => ({ file: `pkg/${f}`, text: require('node:fs').readFileSync(join(p.ws, 'pkg', f), 'utf8') as string });
    const decl = readAbi3Declaration({ pyproject: text('pyproject.toml'), ...(files['setup.cfg'] ? { setupCfg: text('setup.cfg') } : {}), ...(files['setup.py'] ? { setupPy: text('setup.py') } : {}), ...(files['Cargo.toml'] ? { cargoToml: text('Cargo.toml') } : {}) });
    expect(decl).toEqual({ pythonTag: 'cp39', source });
  });

  it('[tool.nx-wheels] abi3 overrides the back-end (py-api = "py3" or a later cpXY)', () => {
    const pyproject = { file: 'pyproject.toml', text: '[tool.scikit-build]\nwheel.py-api = "cp312"\n\n[tool.nx-wheels]\nabi3 = "cp310"\n' };
    expect(readAbi3Declaration({ pyproject })).toEqual({ pythonTag: 'cp310', source: 'pyproject.toml [tool.nx-wheels] abi3' });
    expect(readAbi3Declaration({ pyproject: { file: 'p', text: '[tool.scikit-build]\nwheel.py-api = "py3"\n' } })).toBeNull();
    expect(readAbi3Declaration({ pyproject: { file: 'p', text: '[project]\nname = "x"\n' }, cargoToml: { file: 'Cargo.toml', text: '[dependencies]\npyo3 = { version = "0.23", features = ["extension-module"] }\n' } })).toBeNull();
  });

  it('a missing platform is WHEEL_MISSING for each identifier its abi3 wheel would serve', async () => {
    const p = project('\n[tool.nx-wheels]\nabi3 = "cp39"\n', {}, WHEELS.filter((w) => w.includes('manylinux')));
    const { report, codes } = await validate(p);
    expect(codes).toEqual(['WHEEL_MISSING']);
    expect(report.findings.map((f) => f.subject)).toEqual(IDS.slice(5));
  });

  it('identifiers older than the declared cpXY still need their own wheels', async () => {
    const p = project('\n[tool.nx-wheels]\nabi3 = "cp311"\n');
    const { report, codes } = await validate(p);
    // The cp39-abi3 wheels serve cp39.. as built, but the declaration says cp311: the tag is reported, the set is complete.
    expect(codes).toEqual(['TAGS_IDENTIFIER_MISMATCH']);
    expect(report.findings.map((f) => f.message)).toEqual(WHEELS.map(() => 'cp39-abi3 wheel, but pkg/pyproject.toml [tool.nx-wheels] abi3 declares the stable ABI from cp311'));
  });
});

describe('declaration and wheels disagree', () => {
  it('abi3 wheels in a project that declares no stable ABI: ABI3_UNDECLARED on each, nothing else', async () => {
    const p = project('');
    const { report, codes } = await validate(p);
    expect(codes).toEqual(['ABI3_UNDECLARED']);
    expect(report.findings.map((f) => f.file)).toEqual(WHEELS.map((w) => basename(w)));
  });

  it('version-specific wheels (real markupsafe 3.0.3 cp313 pair) in a project that declares abi3 = "cp313": ABI3_EXPECTED on each', async () => {
    const p = project('\n[tool.nx-wheels]\nabi3 = "cp313"\n', {}, thirdPartyWheels(), { name: 'markupsafe', version: '3.0.3', platforms: [] });
    const { report, codes } = await validate(p, { identifiers: ['cp313-manylinux_x86_64', 'cp313-win_amd64'] });
    expect(codes).toEqual(['ABI3_EXPECTED']);
    expect(report.findings[0].message).toBe('version-specific cp313-cp313 wheel for cp313-manylinux_x86_64, but pkg/pyproject.toml [tool.nx-wheels] abi3 declares the stable ABI: expected one cp313-abi3 wheel for manylinux_x86_64');
  });

  it('[tool.nx-wheels] abi3 that is not a cpXY tag is one line naming the field', async () => {
    const p = project('\n[tool.nx-wheels]\nabi3 = "3.12"\n');
    await expect(validate(p)).rejects.toThrow('pkg/pyproject.toml: [tool.nx-wheels].abi3 must be the oldest CPython of the stable-ABI wheels as a python tag, e.g. abi3 = "cp312".');
  });
});
