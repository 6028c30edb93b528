/**
 * .gitattributes against a Windows runner's checkout: actions/checkout on windows-latest runs git
 * with core.autocrlf=true, which without attributes turns every LF text file into CRLF, so the
 * Windows wheel would ship CRLF copies of the package's files. Here real git commits the
 * workspace's files (LF, as they are stored) into a temporary repository and clones it with
 * core.autocrlf=true: with the workspace's .gitattributes every file comes out byte-identical
 * (text files LF, binary files untouched); without it the text files come out CRLF (the failure
 * the attributes prevent, which shows the test can fail).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WORKSPACE, workspaceFiles } from '../helpers/workspace';
import { GIT_ENV } from '../release/git-fixture';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A binary file with CR LF pairs and a NUL byte: a conversion would change its bytes. */
const BINARY = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x0d, 0x0a, 0x41, 0x0a, 0x0d, 0x0a, 0xff]);

/**
 * Commit `files` of the workspace (plus a binary fixture under an extension .gitattributes does
 * not name, so text=auto must detect it) into a new repository with autocrlf off, then clone that
 * with core.autocrlf=true as a Windows runner does. Returns [source, clone].
 */
function commitAndCloneOnWindows(files: string[], withAttributes: boolean): [string, string] {
  const src = mkdtempSync(join(tmpdir(), 'quiver-eol-src-'));
  dirs.push(src);
  for (const f of files) {
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(WORKSPACE, f), join(src, f));
  }
  if (!withAttributes) rmSync(join(src, '.gitattributes'), { force: true });
  mkdirSync(join(src, 'fixtures'), { recursive: true });
  writeFileSync(join(src, 'fixtures/blob.dat'), BINARY);
  git(src, 'init', '-q', '-b', 'main');
  git(src, '-c', 'core.autocrlf=false', 'add', '-A');
  git(src, 'commit', '-q', '-m', 'snapshot');
  const clone = mkdtempSync(join(tmpdir(), 'quiver-eol-win-'));
  dirs.push(clone);
  git(clone, '-c', 'core.autocrlf=true', 'clone', '-q', '-c', 'core.autocrlf=true', src, 'repo');
  return [src, join(clone, 'repo')];
}

describe('.gitattributes on a checkout with core.autocrlf=true (windows-latest)', () => {
  const files = workspaceFiles().filter((f) => !f.startsWith('node_modules/'));

  it('is `* text=auto eol=lf` and the index holds no CRLF text file', () => {
    const attrs = readFileSync(join(WORKSPACE, '.gitattributes'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(attrs[0]).toBe('* text=auto eol=lf');
    for (const l of attrs.slice(1)) expect(l).toMatch(/^\*\.[\w.]+ binary$/);
    const eol = git(WORKSPACE, 'ls-files', '--eol').split('\n').filter(Boolean);
    expect(eol.length).toBeGreaterThan(100);
    expect(eol.filter((l) => /^i\/(crlf|mixed)/.test(l))).toEqual([]);
  });

  it('every file of the workspace checks out byte for byte (text stays LF, the binary fixture is untouched)', () => {
    expect(files).toContain('.gitattributes');
    const [src, clone] = commitAndCloneOnWindows(files, true);
    const changed = [...files, 'fixtures/blob.dat'].filter((f) => !readFileSync(join(clone, f)).equals(readFileSync(join(src, f))));
    expect(changed).toEqual([]);
    expect(readFileSync(join(clone, 'fixtures/blob.dat')).equals(BINARY)).toBe(true);
  });

  it('without it the same checkout turns the package\'s text files into CRLF (what the wheel shipped)', () => {
    const pkg = files.filter((f) => f.startsWith('bindings/python/') && /\.(py|toml|txt|cpp|md)$/.test(f));
    expect(pkg.length).toBeGreaterThan(3);
    const [, clone] = commitAndCloneOnWindows(pkg, false);
    const crlf = pkg.filter((f) => readFileSync(join(clone, f), 'latin1').includes('\r\n'));
    expect(crlf).toEqual(pkg.filter((f) => readFileSync(join(WORKSPACE, f), 'latin1').includes('\n')));
  });
});
