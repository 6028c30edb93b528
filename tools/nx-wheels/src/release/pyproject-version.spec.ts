import { parse } from 'smol-toml';
import { locateProjectVersion, setProjectVersion } from './pyproject-version';

const UNUSUAL = `# top comment with version = "9.9.9"
[build-system]
requires = ["scikit-build-core==1.1.2"]   # pinned
build-backend = 'scikit_build_core.build'

[tool.other]
version = "5.5.5"
notes = """
[project]
version = "7.7.7"
"""

[project]
name='quiverdb'
# the version line below keeps its odd spacing and literal quotes
  version   =   '1.2.0rc1'     # bumped by nx release
description = "x = \\"y\\""
dependencies = [
  "numpy>=1.26", # comment in array
  'packaging',
]
authors = [{ name = "A", email = "a@example.com" }]

[project.urls]
Home = "https://example.com"
\r
[tool.cibuildwheel]
build = ["cp313-*"]
`;

function changedLines(a: string, b: string): number[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  expect(lb.length).toBe(la.length);
  return la.flatMap((l, i) => (l === lb[i] ? [] : [i + 1]));
}

describe('setProjectVersion', () => {
  it('changes only the version characters, keeping comments, quoting and spacing', () => {
    const out = setProjectVersion(UNUSUAL, '1.2.0rc2');
    const versionLine = UNUSUAL.split('\n').findIndex((l) => l.includes("'1.2.0rc1'")) + 1;
    expect(changedLines(UNUSUAL, out)).toEqual([versionLine]);
    expect(out.split('\n')[versionLine - 1]).toBe("  version   =   '1.2.0rc2'     # bumped by nx release");
    expect(out.length).toBe(UNUSUAL.length);
    const doc = parse(out) as { project: { version: string }; tool: { other: { version: string } } };
    expect(doc.project.version).toBe('1.2.0rc2');
    expect(doc.tool.other.version).toBe('5.5.5');
  });

  it('handles a dotted key at the top level and quoted keys', () => {
    const t = 'project.name = "a"\nproject."version" = "0.1.0" # c\n';
    expect(setProjectVersion(t, '0.2.0')).toBe('project.name = "a"\nproject."version" = "0.2.0" # c\n');
  });

  it('keeps CRLF line endings', () => {
    const t = '[project]\r\nname = "a"\r\nversion = "1.0.0"\r\n';
    expect(setProjectVersion(t, '1.0.1')).toBe('[project]\r\nname = "a"\r\nversion = "1.0.1"\r\n');
  });

  it('explains a dynamic version', () => {
    const t = '[project]\nname = "a"\ndynamic = ["version"]\n';
    expect(() => setProjectVersion(t, '1.0.0', 'bindings/python/pyproject.toml')).toThrow(
      /bindings\/python\/pyproject.toml: \[project\]\.version is dynamic; .*remove "version" from \[project\]\.dynamic/,
    );
  });

  it('refuses forms it cannot edit in place', () => {
    expect(() => setProjectVersion('project = { name = "a", version = "1.0" }\n', '1.1')).toThrow(/one-line string/);
    expect(() => setProjectVersion('[project]\nname = "a"\n', '1.1')).toThrow(/version is missing/);
  });

  it('does not match version keys of other tables or inside strings', () => {
    const t = '[tool.x]\nversion = "3"\ns = """\n[project]\nversion = "4"\n"""\n[project]\nname = "a"\nversion = "5"\n';
    const loc = locateProjectVersion(t)!;
    expect(t.slice(loc.start, loc.end)).toBe('5');
  });
});
