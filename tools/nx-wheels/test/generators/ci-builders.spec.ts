/**
 * The pieces the ci generator builds its workflows from: the YAML writer (comments, blocks, flow
 * lists, quoting), the bash scripts embedded from src/generators/ci/scripts (placeholders, `#@`
 * lines, every script valid bash once filled in, every script used and shipped in the npm tarball).
 * The workflows themselves: ci.spec.ts and test/workflows/.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { script, SCRIPTS_DIR } from '../../src/generators/ci/scripts';
import { checkout, uses } from '../../src/generators/ci/steps';
import { type CiPlan, renderCiWorkflow, renderReleaseReadinessWorkflow, renderReleaseWorkflow } from '../../src/generators/ci/workflows';
import { flow, note, trailing, workflowYaml, type Workflow } from '../../src/generators/ci/yaml-builder';

const SAMPLE: Workflow = {
  header: 'First line of the header.\n\nAfter an empty comment line.',
  name: 'Sample',
  on: { push: { tags: flow(['v*.*.*']) }, pull_request: null },
  permissions: note({}, 'Nothing by default.'),
  concurrency: { group: 'x-${{ github.ref }}', 'cancel-in-progress': true },
  env: { NX_DAEMON: 'false', VERSION: '3.12' },
  defaults: { run: { shell: 'bash' } },
  jobs: {
    one: {
      name: 'one',
      needs: flow(['a', 'b']),
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 5,
      permissions: { contents: trailing('read', 'why it reads') },
      steps: [
        checkout('full history'),
        note({ name: 'script', run: `echo "${'x'.repeat(120)}"\necho done\n` }, 'A step comment\non two lines.'),
      ],
    },
    two: note(
      { name: 'two', 'runs-on': 'ubuntu-latest', 'timeout-minutes': 5, permissions: {}, steps: [{ run: 'true' }] },
      'The second job.',
    ),
  },
};

/** Two projects, per-project tags, one of them on fewer platforms: every optional part of every workflow. */
const RICH: CiPlan = {
  projects: [
    { name: 'alpha', root: 'bindings/alpha', distribution: 'alpha-py', platforms: ['linux'], sdist: true },
    { name: 'beta', root: 'bindings/beta', distribution: 'beta-py', platforms: ['linux', 'windows', 'macos'], sdist: false },
  ],
  targets: {
    buildWheels: 'build-wheels',
    test: 'pytest',
    validateWheels: 'validate-wheels',
    publish: 'publish',
    validateRelease: 'validate-release',
    rehearseRelease: 'rehearse-release',
  },
  wheelDir: 'wheelhouse',
  tagPrefix: '{projectName}-v',
  defaultBranch: 'trunk',
  ciTools: false,
};

const rendered = () => [renderCiWorkflow(RICH), renderReleaseWorkflow(RICH), renderReleaseReadinessWorkflow(RICH)];

describe('yaml-builder: workflowYaml', () => {
  const text = workflowYaml(SAMPLE);
  const lines = text.split('\n');

  it('reads back as the values it was given', () => {
    expect(parse(text)).toEqual({
      name: 'Sample',
      on: { push: { tags: ['v*.*.*'] }, pull_request: null },
      permissions: {},
      concurrency: { group: 'x-${{ github.ref }}', 'cancel-in-progress': true },
      env: { NX_DAEMON: 'false', VERSION: '3.12' },
      defaults: { run: { shell: 'bash' } },
      jobs: {
        one: {
          name: 'one',
          needs: ['a', 'b'],
          'runs-on': 'ubuntu-latest',
          'timeout-minutes': 5,
          permissions: { contents: 'read' },
          steps: [
            { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', with: { 'fetch-depth': 0, 'persist-credentials': false } },
            { name: 'script', run: `echo "${'x'.repeat(120)}"\necho done\n` },
          ],
        },
        two: { name: 'two', 'runs-on': 'ubuntu-latest', 'timeout-minutes': 5, permissions: {}, steps: [{ run: 'true' }] },
      },
    });
  });

  it('writes the header first, comments above keys, steps and jobs, and at the end of a line', () => {
    expect(lines.slice(0, 4)).toEqual(['# First line of the header.', '#', '# After an empty comment line.', 'name: Sample']);
    expect(lines[lines.indexOf('permissions: {}') - 1]).toBe('# Nothing by default.');
    expect(text).toContain('      contents: read # why it reads\n');
    expect(text).toContain('      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n');
    expect(text).toContain('          fetch-depth: 0 # full history\n');
    expect(text).toContain('      # A step comment\n      # on two lines.\n      - name: script\n');
    expect(text).toContain('          echo done\n\n  # The second job.\n  two:\n');
  });

  it('writes scripts as literal blocks without folding long lines, lists in flow style, null as an empty value, strings that look like other types quoted', () => {
    expect(text).toContain(`        run: |\n          echo "${'x'.repeat(120)}"\n          echo done\n`);
    expect(text).toContain('    needs: [a, b]\n');
    expect(text).toMatch(/^ {2}pull_request:$/m);
    expect(text).toContain("  NX_DAEMON: 'false'\n  VERSION: '3.12'\n");
    // One blank line before each top-level key after name and before the second job, none inside a job.
    expect(lines.slice(0, -1).filter((l) => l === '')).toHaveLength(6 + 1);
    expect(text).toContain("      - run: 'true'\n");
  });

  it('uses(): the pinned SHA as the value, its version as the comment', () => {
    expect(
      workflowYaml({ ...SAMPLE, jobs: { j: { ...(SAMPLE.jobs['one'] as object), steps: [{ uses: uses('pypiPublish') }] } as never } }),
    ).toMatch(/^ {6}- uses: pypa\/gh-action-pypi-publish@[0-9a-f]{40} # v\d+\.\d+\.\d+$/m);
  });
});

describe('scripts/*.sh', () => {
  const files = readdirSync(SCRIPTS_DIR)
    .filter((f) => f.endsWith('.sh'))
    .sort();

  it('script() leaves out the #@ lines and fills in the placeholders', () => {
    const raw = readFileSync(join(SCRIPTS_DIR, 'github-release.sh'), 'utf8');
    expect(raw).toMatch(/^#@ /);
    const filled = script('github-release', { TITLE: 'My Lib' });
    expect(filled).not.toMatch(/^#@|@@/m);
    expect(filled).toContain('--title "My Lib $VERSION"');
    expect(filled.split('\n')).toHaveLength(raw.split('\n').filter((l) => !l.startsWith('#@')).length);
  });

  it('script() names the file and the placeholder when a value is missing or left over', () => {
    expect(() => script('github-release')).toThrow(/github-release\.sh: no value for the placeholder @@TITLE@@$/);
    expect(() => script('tag-on-default-branch', { TITLE: 'x' })).toThrow(
      /tag-on-default-branch\.sh: no placeholder @@TITLE@@ for the value given$/,
    );
  });

  it('every script is embedded in some workflow, and every embedded run: block is valid bash (bash -n)', () => {
    const texts = rendered();
    for (const f of files) {
      const body = readFileSync(join(SCRIPTS_DIR, f), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#@') && !l.includes('@@'));
      expect({ f, embedded: texts.some((t) => t.includes(body[body.length - 1].trim())) }).toEqual({ f, embedded: true });
    }
    const runs = texts.flatMap((t) =>
      Object.values((parse(t) as Workflow).jobs).flatMap((j) =>
        (j as { steps: Array<{ run?: string }> }).steps.map((s) => s.run).filter(Boolean),
      ),
    );
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      const r = spawnSync('bash', ['-n'], { input: run, encoding: 'utf8' });
      expect({ run, status: r.status, stderr: r.stderr }).toEqual({ run, status: 0, stderr: '' });
    }
  });

  it('the npm tarball ships every script (package.json files)', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: join(SCRIPTS_DIR, '..', '..', '..', '..'), encoding: 'utf8' });
    expect(pack.status).toBe(0);
    const packed = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((x) => x.path);
    expect(packed.filter((p) => p.startsWith('src/generators/ci/scripts/')).sort()).toEqual(
      files.map((f) => `src/generators/ci/scripts/${f}`),
    );
  });
});
