/**
 * The text of the workflows the `ci` generator writes: `.github/workflows/ci.yml` (affected
 * checks and wheel builds on pushes and pull requests) and `.github/workflows/release.yml` (a
 * release tag builds fresh wheels of every wheel project, validates them, asks PyPI what to upload
 * and publishes each project by trusted publishing). A {@link CiPlan} in, YAML text out: each
 * workflow is built as typed Workflow/Job/Step objects (./yaml-builder.ts, ./steps.ts) and written
 * with the `yaml` library; the longer bash steps are ./scripts/*.sh, embedded at generation time.
 *
 * With one wheel project the output is exactly this repository's committed workflows (a test
 * holds them byte for byte). With several, every project gets its own artifacts
 * (`<project>-wheels`, `<project>-pypi-upload`), validation steps and `publish-<project>` job; one
 * release tag releases them all (Nx release group, `projectsRelationship: fixed`, tag `v{version}`).
 * With a tag pattern that holds `{projectName}` (independent releases: `{projectName}-v{version}`)
 * release.yml triggers on every project's tags, a first `resolve` job maps the tag to its project,
 * and only that project is built (on its platforms), validated, released and published; a pull
 * request or a run from a branch is a dry run of every project.
 *
 * Every project builds only on the platforms it releases (`[tool.nx-wheels] release-platforms`):
 * release.yml's per-project steps carry a platform `if:`; when some project does not release on
 * every platform, ci.yml's affected job computes the build legs (each platform with the affected
 * projects that release on it) instead of a fixed matrix.
 */

export { type CiPlan, type CiProject } from './plan';
export { CI_JOBS, CI_RESULT_JOB, renderCiWorkflow } from './ci-workflow';
export { renderReleaseWorkflow } from './release-workflow';
export { renderReleaseReadinessWorkflow } from './readiness-workflow';
