/** The rollback of a failed release, on real git repositories in temporary directories. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, git, tempRepo, write } from '../../test/release/git-fixture';
import { recordReleaseStart, rollBack } from './release-rollback';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A repo with a committed pyproject and changelog, and work in progress of every kind. */
function repo(): string {
  const dir = tempRepo();
  dirs.push(dir);
  write(dir, 'py/pyproject.toml', 'version = "1.0.0"\n');
  write(dir, 'py/CHANGELOG.md', '## 1.0.0\n');
  write(dir, 'py/gone.md', 'plan\n');
  write(dir, 'other.txt', 'a\n');
  commitAll(dir, 'chore: initial');
  write(dir, 'other.txt', 'a\nb\n'); // modified, unstaged
  write(dir, 'staged.txt', 'new\n');
  git(dir, 'add', 'staged.txt'); // added, staged
  write(dir, 'py/CHANGELOG.md', '## 1.0.0\n- wip\n');
  git(dir, 'add', 'py/CHANGELOG.md');
  write(dir, 'py/CHANGELOG.md', '## 1.0.0\n- wip\n- more wip\n'); // staged and further modified
  write(dir, 'untracked.txt', 'mine\n');
  return dir;
}

const state = (dir: string) => ({
  status: git(dir, 'status', '--porcelain', '-uall'),
  index: git(dir, 'ls-files', '-s'),
  files: ['py/pyproject.toml', 'py/CHANGELOG.md', 'py/gone.md', 'other.txt', 'staged.txt', 'untracked.txt'].map((f) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return null;
    }
  }),
});

describe('release rollback', () => {
  it('puts back what a failed release wrote, staged, created and deleted; leaves the rest alone', () => {
    const dir = repo();
    const before = state(dir);
    const start = recordReleaseStart(dir)!;
    // What Nx does before a failing commit: edit and stage the manifest, prepend to and stage the
    // changelog, delete a version plan, write a new file.
    write(dir, 'py/pyproject.toml', 'version = "1.1.0"\n');
    write(dir, 'py/CHANGELOG.md', '## 1.1.0\n- x\n\n## 1.0.0\n- wip\n- more wip\n');
    rmSync(join(dir, 'py/gone.md'));
    write(dir, 'py/new-notes.md', 'x\n');
    git(dir, 'add', '-A', 'py');
    expect(state(dir)).not.toEqual(before);
    expect(rollBack(start)).toBe('nx-wheels: nx release failed; restored py/CHANGELOG.md, py/gone.md, py/new-notes.md, py/pyproject.toml to the state before the release started.');
    expect(state(dir)).toEqual(before);
    expect(rollBack(start)).toBeNull();
  });

  it('touches nothing once the release commit was made', () => {
    const dir = repo();
    const start = recordReleaseStart(dir)!;
    writeFileSync(join(dir, 'py/pyproject.toml'), 'version = "1.1.0"\n');
    git(dir, 'add', 'py/pyproject.toml');
    git(dir, 'commit', '-q', '-m', 'chore(release): 1.1.0');
    const after = state(dir);
    expect(rollBack(start)).toMatch(/^nx-wheels: nx release failed after making commit [0-9a-f]{12} \(HEAD was [0-9a-f]{12}\); the files it wrote are in that commit: nothing was restored/);
    expect(state(dir)).toEqual(after);
  });
});
