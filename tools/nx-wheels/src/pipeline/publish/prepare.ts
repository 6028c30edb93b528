/**
 * `prepare()`, the part preflight and upload share before they read the index: the release (the
 * expected identifiers against the wheels present: RELEASE_INCOMPLETE, or a PARTIAL RELEASE with
 * allowPartial), then the files to publish, validated: validate-wheels on the wheel directory, or
 * a passing `validation-report.json` for exactly these bytes (reused, or required with `validate=false`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QuiverError } from '../../core/errors';
import { BuildIdentifier, parseIdentifier } from '../../core/identifiers';
import { normalizeVersion } from '../../core/pep440';
import { LocalFile, partialReleaseLine, planPublish, ReleaseDecision, releaseIncompleteError, ReleaseScope } from '../../core/publish/plan';
import { PublishReport } from '../../core/publish/report';
import { decideReuse, DiskFile, ReuseDecision } from '../../core/publish/reuse-validation';
import { DEFAULT_MAX_SIZE, resolveTag } from '../../core/validation/options';
import { VALIDATION_REPORT_FILE, ValidationReport } from '../../core/validation/report';
import { OWN_FILES } from '../../core/validation/rules';
import { sha256File } from '../files';
import { loadToolchain, Toolchain } from '../toolchain';
import { expectedIdentifiers } from '../identifiers';
import { validateWheels } from '../validate-wheels';
import { PublishContext, prefixed } from './context';

/** What {@link prepare} hands on: the toolchain, the release scope and the validated files. */
export interface Prepared {
  toolchain: Toolchain;
  scope: ReleaseScope;
  local: LocalFile[];
}

/**
 * The release, then validation of the very files that will be uploaded; fills `report.release`,
 * `report.validation` and `report.files` (all pending).
 * @param env the run's environment (preflight: without the secrets)
 * @throws QuiverError `RELEASE_INCOMPLETE`, `VALIDATION_FAILED`, `VALIDATION_REPORT_*`, `BAD_OPTION_IDENTIFIERS`
 */
export async function prepare(r: PublishContext, env: Record<string, string | undefined>, report: PublishReport): Promise<Prepared> {
  const toolchain = await loadToolchain(r.ws, r.o.python, prefixed(r.sink, '[toolchain] '));
  const scope = await releaseScope(r, toolchain, env);
  const release = checkRelease(r, scope, report);
  const local = await validatedFiles(r, toolchain, release.selected, env, report);
  report.files = local.map((f) => ({ ...f, status: 'pending', detail: '', attempts: 0 }));
  return { toolchain, scope, local };
}

/** The release scope: cibuildwheel's identifiers for the requested platforms (or the given ones) and the wheels present. */
async function releaseScope(r: PublishContext, toolchain: Toolchain, env: Record<string, string | undefined>): Promise<ReleaseScope> {
  let expected: BuildIdentifier[];
  if (r.o.identifiers) {
    expected = r.o.identifiers.map((id) => {
      const p = parseIdentifier(id);
      if (!p)
        throw new QuiverError('BAD_OPTION_IDENTIFIERS', `identifier "${id}" is not <python>-<platform> (e.g. cp313-manylinux_x86_64).`);
      return p;
    });
  } else {
    expected = await expectedIdentifiers({
      kind: r.kind,
      cibuildwheel: () => toolchain.bin('cibuildwheel'),
      workspaceRoot: r.ws,
      packageDir: resolve(r.ws, r.o.projectRoot),
      platforms: r.requestedPlatforms,
      env,
    });
  }
  return {
    releasePlatforms: r.releasePlatforms,
    requestedPlatforms: r.requestedPlatforms,
    expected,
    // A pure project's one wheel serves every platform: the platforms are not compared.
    exact: !!r.o.identifiers || r.kind === 'pure',
    wheels: readdirSync(r.wheelDir).filter((n) => n.endsWith('.whl')),
    allowPartial: r.allowPartial,
  };
}

/**
 * The release decision before anything else: stop with RELEASE_INCOMPLETE, or go on (printing
 * `PARTIAL RELEASE ...` first when allowed).
 */
function checkRelease(r: PublishContext, scope: ReleaseScope, report: PublishReport): ReleaseDecision {
  const plan = planPublish({ scope, local: [], remote: null });
  report.release = {
    platforms: [...r.requestedPlatforms],
    expected: plan.release.expected,
    missing: plan.release.missing,
    partial: plan.release.partial,
  };
  if (plan.stop?.code === 'RELEASE_INCOMPLETE') {
    throw releaseIncompleteError(plan.stop, plan.release, {
      distribution: r.distribution,
      version: r.project.version,
      wheelDir: r.show(r.wheelDir),
      releasePlatforms: r.releasePlatforms,
      releasePlatformsSource: r.releasePlatformsSource,
    });
  }
  if (plan.release.partial) {
    const line = partialReleaseLine(plan.release);
    report.notes.unshift(line);
    r.sink.out(line);
  }
  return plan.release;
}

/**
 * The files of an existing validation report, if it passed and its sha256s match the wheels on disk exactly.
 * @throws QuiverError `VALIDATION_REPORT_MISSING`, `VALIDATION_REPORT_FAILED`, `VALIDATION_REPORT_STALE`
 */
async function filesFromValidationReport(wheelDir: string, shown: string): Promise<{ files: LocalFile[]; version: string | null }> {
  const file = join(wheelDir, VALIDATION_REPORT_FILE);
  const fix = 'run nx run <project>:validate-wheels on these files, or publish with --validate=true';
  if (!existsSync(file))
    throw new QuiverError(
      'VALIDATION_REPORT_MISSING',
      `option validate=false needs ${shown}/${VALIDATION_REPORT_FILE}, which does not exist; ${fix}.`,
    );
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  } catch {
    throw new QuiverError('VALIDATION_REPORT_MISSING', `${shown}/${VALIDATION_REPORT_FILE} is not valid JSON; ${fix}.`);
  }
  if (!report.ok)
    throw new QuiverError(
      'VALIDATION_REPORT_FAILED',
      `${shown}/${VALIDATION_REPORT_FILE} records a failed validation; fix the findings it lists and re-validate.`,
    );
  const sdist = report.sdist ?? null;
  const onDisk = readdirSync(wheelDir)
    .filter((n) => n.endsWith('.whl') || n === sdist?.file)
    .sort();
  const inReport = new Map<string, { file: string; sha256: string | null }>(
    [...report.wheels, ...(sdist ? [sdist] : [])].map((w) => [w.file, w]),
  );
  const files: LocalFile[] = [];
  for (const n of onDisk) {
    const w = inReport.get(n);
    const sha = await sha256File(join(wheelDir, n));
    if (!w || w.sha256 !== sha) {
      throw new QuiverError(
        'VALIDATION_REPORT_STALE',
        `${shown}/${n} ${w ? 'has changed since' : 'is not in'} ${VALIDATION_REPORT_FILE} (sha256 ${sha}); ${fix}.`,
      );
    }
    files.push({ file: n, sha256: sha, size: statSync(join(wheelDir, n)).size });
  }
  const missing = [...inReport.values()].filter((w) => !onDisk.includes(w.file));
  if (missing.length)
    throw new QuiverError(
      'VALIDATION_REPORT_STALE',
      `${VALIDATION_REPORT_FILE} lists ${missing.map((m) => m.file).join(', ')}, which is not in ${shown}; ${fix}.`,
    );
  return { files, version: report.version };
}

/**
 * The decision on `<wheelDir>/validation-report.json` (core/publish/reuse-validation), or null when
 * there is none. The upload set is every file in the wheel directory but quiver's own reports,
 * each hashed here; a directory or unreadable entry means "validate" (validation reports it).
 */
async function reusableValidation(
  r: PublishContext,
  selected: string[],
  env: Record<string, string | undefined>,
): Promise<ReuseDecision | null> {
  const file = join(r.wheelDir, VALIDATION_REPORT_FILE);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { reuse: false, reason: 'the report is not valid JSON' };
  }
  const onDisk: DiskFile[] = [];
  for (const n of readdirSync(r.wheelDir).sort()) {
    if (OWN_FILES.includes(n)) continue;
    const path = join(r.wheelDir, n);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return { reuse: false, reason: `${n} is not a file` };
      size = st.size;
    } catch {
      return { reuse: false, reason: `${n} cannot be read` };
    }
    onDisk.push({ file: n, sha256: await sha256File(path), size });
  }
  return decideReuse(
    parsed,
    {
      distribution: r.distribution,
      version: r.project.dynamicVersion || r.project.version === null ? null : normalizeVersion(r.project.version),
      identifiers: selected,
      tag: resolveTag(r.o.tag, env)?.value ?? null,
      maxSize: DEFAULT_MAX_SIZE,
      externalChecks: r.o.externalChecks !== false,
      linuxHost: process.platform === 'linux',
      sdist: r.project.nxWheels.sdist ?? false,
    },
    onDisk,
  );
}

/**
 * Validate the very files that will be published (only the selected identifiers' wheels are expected). */
async function validatedFiles(
  r: PublishContext,
  toolchain: Toolchain,
  selected: string[],
  env: Record<string, string | undefined>,
  report: PublishReport,
): Promise<LocalFile[]> {
  const reportPath = r.show(join(r.wheelDir, VALIDATION_REPORT_FILE));
  if (r.o.validate === false || (r.o.validate as unknown) === 'false') {
    const v = await filesFromValidationReport(r.wheelDir, r.show(r.wheelDir));
    report.validation = `${reportPath} (sha256s match the files)`;
    return v.files;
  }
  const reuse = await reusableValidation(r, selected, env);
  if (reuse?.reuse) {
    r.sink.out(
      `[validate] skipped: ${reportPath} passed${reuse.createdAt ? ` (${reuse.createdAt})` : ''} for exactly these bytes (the sha256 of all ${reuse.files.length} file(s) match) and the same identifiers, version, tag and checks`,
    );
    report.validation = `reused ${reportPath} (passed; the sha256 of every file matches)`;
    return reuse.files;
  }
  if (reuse) r.sink.out(`[validate] ${reportPath} not reused: ${reuse.reason}; validating`);
  const v = await validateWheels(
    {
      workspaceRoot: r.ws,
      projectRoot: r.o.projectRoot,
      projectName: r.o.projectName,
      wheelDir: r.wheelDir,
      platforms: r.requestedPlatforms,
      tag: r.o.tag,
      python: r.o.python,
      externalChecks: r.o.externalChecks,
      ...(r.o.projectConfig ? { projectConfig: r.o.projectConfig } : {}),
    },
    prefixed(r.sink, '[validate] '),
    { env, identifiers: selected, toolchain },
  );
  if (!v.ok) {
    throw new QuiverError(
      'VALIDATION_FAILED',
      `validate-wheels failed (${v.counts.errors} error(s), listed above and in ${reportPath}); nothing was uploaded: fix them and re-run.`,
    );
  }
  report.validation = `validate-wheels passed (${reportPath})`;
  return [...v.wheels, ...(v.sdist ? [v.sdist] : [])].map((w) => ({ file: w.file, sha256: w.sha256!, size: w.size }));
}
