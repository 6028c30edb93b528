/** Real git repositories in temporary directories for the release tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** `git init` in a fresh temp dir (branch main). */
export function tempRepo(prefix = 'quiver-release-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

export function commitAll(cwd: string, message: string): void {
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
}

export const PYPROJECT = (version: string) => `[build-system]
requires = ["scikit-build-core==1.1.2"]
build-backend = "scikit_build_core.build"

# Metadata (PEP 621). The version is managed by nx release.
[project]
name = "QuiverDB"
version   =  '${version}'   # keep this comment
description = "x"

[tool.cibuildwheel]
build = ["cp313-manylinux_x86_64"]
test-command = "pytest {project}/bindings/python/tests"
`;
