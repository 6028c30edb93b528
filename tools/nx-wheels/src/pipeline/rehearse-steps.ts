/**
 * The steps of rehearse-release (pipeline/rehearse-release.ts) after the builds: tag-mode
 * validation, publishing to the throwaway index twice, and install + test, where each released
 * wheel is downloaded by name and exact version from the index, compared with the built bytes and
 * tested (Linux: the identifier's CPython; Windows: python.org's CPython under wine).
 */
import { mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BUILD_REPORT_FILE, BuildReport } from '../core/build-report';
import { substitutePlaceholders, testCommand, testExtras, testRequires } from '../core/cibw-options';
import { QuiverError } from '../core/errors';
import { BuildIdentifier, parseIdentifier, Platform } from '../core/identifiers';
import { CibuildwheelConfig } from '../core/pyproject';
import { ThrowawayIndex } from '../runners/package-index';
import { stream } from '../runners/process';
import { findCPython } from '../runners/python';
import { testWheel } from '../runners/wheel-test';
import { sha256File } from './files';
import { loadToolchain } from './toolchain';
import { publish } from './publish';
import { validateRelease } from './validate-release';
import { validateWheels } from './validate-wheels';
import { testWindowsWheelFromIndex } from './windows-cross';
import type { Rehearsal } from './rehearse-release';

/** validate-release in tag mode and validate-wheels on the release directory, as the release workflow runs them. */
export async function validateRehearsal(r: Rehearsal): Promise<void> {
  const { o, scratch, report } = r;
  const env = { ...r.env, GITHUB_STEP_SUMMARY: undefined };
  await r.step('validate-release', null, async () => {
    const v = await validateRelease({
      workspaceRoot: scratch,
      projectRoot: o.projectRoot,
      projectName: o.projectName,
      mode: 'tag',
      tag: report.tag!,
      tagPrefix: r.prefix,
      env,
    });
    if (!v.result.ok)
      throw new QuiverError(
        'RELEASE_CHECK_FAILED',
        `validate-release in tag mode failed for ${report.tag}: ${v.result.failures.map((f) => f.message).join('; ')}`,
      );
    return `tag ${report.tag} == pyproject.toml == changelog section`;
  });
  const platforms = r.platforms.join(',');
  await r.step('validate-wheels', null, async () => {
    const v = await validateWheels(
      {
        workspaceRoot: scratch,
        projectRoot: o.projectRoot,
        projectName: o.projectName,
        wheelDir: r.releaseDir,
        platforms,
        tag: report.tag!,
        python: o.python,
      },
      r.sink,
      { env },
    );
    if (!v.ok)
      throw new QuiverError(
        'VALIDATION_FAILED',
        `validate-wheels --platforms=${platforms} --tag=${report.tag} failed; see the findings above.`,
      );
    return `${report.wheels.length} wheel(s) for ${platforms}, tag ${report.tag}`;
  });
}

/** Publish to the throwaway index, then again: the second run must skip every file. */
export async function publishTwice(r: Rehearsal, index: ThrowawayIndex): Promise<void> {
  const { o, scratch, report } = r;
  const env = {
    ...r.env,
    PYPI_API_TOKEN: undefined,
    TWINE_USERNAME: index.username,
    TWINE_PASSWORD: index.password,
    GITHUB_STEP_SUMMARY: undefined,
    GITHUB_ACTIONS: undefined,
    NX_DRY_RUN: undefined,
  };
  for (const [name, want] of [
    ['publish', 'uploaded'],
    ['publish again', 'skipped'],
  ] as const) {
    await r.step(name, null, async () => {
      const reportFile = join(scratch, 'dist', 'rehearsal', `${name.replace(' ', '-')}-report.json`);
      const p = await publish(
        {
          workspaceRoot: scratch,
          projectRoot: o.projectRoot,
          projectName: o.projectName,
          wheelDir: r.releaseDir,
          repositoryUrl: index.url,
          platforms: r.platforms.join(','),
          tag: report.tag!,
          python: o.python,
          env,
          reportFile,
        },
        r.sink,
      );
      const off = p.files.filter((f) => f.status !== want);
      if (!p.ok || off.length)
        throw new QuiverError(
          'REHEARSAL_PUBLISH_UNEXPECTED',
          `${name}: expected every file ${want}, got ${p.files.map((f) => `${f.file} ${f.status}`).join(', ')}`,
        );
      return `${p.files.length} file(s) ${want} (${index.url})`;
    });
  }
}

/** What every install + test step shares: the index, the toolchain, the released project's [tool.cibuildwheel]. */
export type InstallContext = { index: ThrowawayIndex; toolchain: Awaited<ReturnType<typeof loadToolchain>>; config: CibuildwheelConfig };

/** The install + test step of one platform: each wheel downloaded by name and exact version from the index, checked, tested. */
export async function installAndTest(r: Rehearsal, platform: Platform, c: InstallContext): Promise<string> {
  const done: string[] = [];
  for (const w of r.report.wheels.filter((x) => x.platform === platform)) {
    const id = identifierOf(r.builds, w.file);
    const spec = `${r.report.distribution}==${r.report.version}`;
    const python = platform === 'linux' ? await findCPython(id.pythonVersion, c.toolchain.host) : null;
    if (platform === 'linux' && !python)
      throw new QuiverError(
        'NO_PYTHON_FOR_IDENTIFIER',
        `install + test of ${id.id}: no CPython ${id.pythonVersion} on this host (pyenv install ${id.pythonVersion}).`,
      );
    const file = await downloadFromIndex(r, platform, id, spec, python?.executable ?? null, c);
    if (basename(file) !== w.file || (await sha256File(file)) !== w.sha256)
      throw new QuiverError(
        'REHEARSAL_INDEX_BYTES',
        `the index served ${basename(file)} for ${spec}, not the built ${w.file} with sha256 ${w.sha256}.`,
      );
    const cmd = testCommand(c.config, platform, id.id, r.env);
    if (!cmd) {
      done.push(`${w.file} installed (no test-command)`);
      continue;
    }
    if (platform === 'linux') {
      const { scratch, env } = r;
      const testCmd = substitutePlaceholders(cmd, { project: scratch, package: join(scratch, r.o.projectRoot), wheel: file });
      await testWheel(
        {
          identifier: id.id,
          wheel: file,
          python: python!.executable,
          testCommand: testCmd,
          testRequires: testRequires(c.config, platform, id.id, env),
          testExtras: testExtras(c.config, platform, id.id, env),
          env,
        },
        r.sink,
      );
    } else {
      await testWindowsWheelFromIndex(
        {
          ws: r.scratch,
          projectRoot: r.o.projectRoot,
          id,
          wheel: file,
          config: c.config,
          env: r.env,
          toolchainPython: c.toolchain.bin('python'),
          preferred: c.toolchain.host,
        },
        r.sink,
      );
    }
    done.push(`${spec} (${w.file}) from the index: tests passed`);
  }
  return done.join('; ');
}

/** Download by name and exact version from the throwaway index only, for the identifier's platform and Python; the one wheel's path. */
async function downloadFromIndex(
  r: Rehearsal,
  platform: Platform,
  id: BuildIdentifier,
  spec: string,
  python: string | null,
  c: InstallContext,
): Promise<string> {
  const dl = join(r.scratch, 'dist', 'rehearsal', 'from-index', platform);
  rmSync(dl, { recursive: true, force: true });
  mkdirSync(dl, { recursive: true });
  const target =
    platform === 'linux'
      ? []
      : [
          '--platform',
          id.platformPart,
          '--python-version',
          id.pythonVersion,
          '--implementation',
          'cp',
          '--abi',
          `cp${id.pythonVersion.replace('.', '')}`,
        ];
  const args = [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--no-cache-dir',
    '--index-url',
    c.index.simpleUrl,
    ...target,
    '-d',
    dl,
    spec,
  ];
  const pip = await stream(
    python ?? c.toolchain.bin('python'),
    args,
    `[pip download ${id.id}] `,
    { env: { ...r.env, PIP_FIND_LINKS: undefined, PIP_CONFIG_FILE: '/dev/null' } },
    r.sink,
  );
  const got = existsSync(dl) ? readdirSync(dl).filter((f) => f.endsWith('.whl')) : [];
  if (pip.exitCode !== 0 || got.length !== 1)
    throw new QuiverError(
      'REHEARSAL_INSTALL_FAILED',
      `pip download ${spec} for ${id.id} from ${c.index.simpleUrl} failed (exit ${pip.exitCode}, ${got.length} wheel(s)); see the [pip download] lines above.`,
    );
  return join(dl, got[0]);
}

/** The build identifier of a released wheel (from the build reports). */
function identifierOf(builds: BuildReport[], file: string): BuildIdentifier {
  for (const b of builds) {
    const w = b.wheels.find((x) => x.file === file);
    const id = w && parseIdentifier(w.identifier);
    if (id) return id;
  }
  throw new QuiverError('REHEARSAL_INTERNAL', `no build identifier recorded for ${basename(file)} in ${BUILD_REPORT_FILE}`);
}
