/**
 * PyPI's rules, not stricter: the real pinned `twine check --strict` on real markupsafe 3.0.3
 * wheels whose METADATA lost its Description-Content-Type. twine's errors (a description PyPI
 * would not render) fail; its --strict-only warnings are TWINE_STRICT_WARNING warnings that are
 * shown but pass, unless option twineStrict keeps them fatal. Skipped without the workspace
 * toolchain (.nx-wheels/toolchain).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCodes } from '../../src/core/validation/report';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { THIRD_PARTY, thirdPartyWorkspace } from '../publish/fixtures';
import { readZip, rewriteRecord, writeZip, WORKSPACE, ZEntry } from './fixtures';

const twine = join(WORKSPACE, '.nx-wheels', 'toolchain', 'bin', 'twine');
const d = existsSync(twine) ? describe : describe.skip;
const workspaces: string[] = [];
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));

/** METADATA without Description-Content-Type; `body` replaces the long description when given. */
const noContentType = (body?: string) => (es: ZEntry[]) =>
  es.map((e) => {
    if (!e.name.endsWith('.dist-info/METADATA')) return e;
    const text = e.data.toString('utf8').replace(/\r\n/g, '\n');
    const split = text.indexOf('\n\n');
    const headers = text.slice(0, split).split('\n').filter((l) => !l.startsWith('Description-Content-Type:')).join('\n');
    return { ...e, data: Buffer.from(`${headers}\n\n${body ?? text.slice(split + 2)}`) };
  });

async function run(fn: (es: ZEntry[]) => ZEntry[], opts: { twineStrict?: boolean } = {}) {
  const t = thirdPartyWorkspace();
  workspaces.push(t.ws);
  for (const f of t.files) {
    const p = join(t.wheelDir, f);
    writeFileSync(p, writeZip(rewriteRecord(fn(await readZip(readFileSync(p))))));
  }
  const lines: string[] = [];
  const report = await validateWheels(
    { workspaceRoot: t.ws, projectRoot: t.projectRoot, projectName: 'pkg', ...opts },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    { env: {}, identifiers: THIRD_PARTY.identifiers, tools: { twine, auditwheel: null } },
  );
  return { report, codes: reportCodes(report), lines, sums: existsSync(join(t.wheelDir, 'SHA256SUMS')) };
}

d('twine check --strict: errors fail, --strict-only warnings warn', () => {
  it('the published wheels pass twine with no finding', async () => {
    const { report } = await run((es) => es);
    expect(report.findings).toEqual([]);
    expect(report.externalChecks.twine).toBe('ran');
  }, 120_000);

  it('Description-Content-Type missing with a description that renders as reStructuredText: a warning, and the release passes', async () => {
    const { report, codes, lines, sums } = await run(noContentType('MarkupSafe escapes characters so text is safe to use in HTML and XML.\n'));
    expect(codes).toEqual(['TWINE_STRICT_WARNING']);
    expect(report.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(report.findings[0].message).toBe('twine check --strict: WARNING `long_description_content_type` missing. defaulting to `text/x-rst`.');
    expect({ ok: report.ok, counts: report.counts, sums }).toEqual({ ok: true, counts: { wheels: 2, errors: 0, warnings: 2 }, sums: true });
    expect(lines.join('\n')).toContain('TWINE_STRICT_WARNING');
  }, 120_000);

  it('the same wheels with option twineStrict fail with TWINE_CHECK_FAILED', async () => {
    const { report, codes, sums } = await run(noContentType('MarkupSafe escapes characters so text is safe to use in HTML and XML.\n'), { twineStrict: true });
    expect(codes).toEqual(['TWINE_CHECK_FAILED']);
    expect({ ok: report.ok, sums }).toEqual({ ok: false, sums: false });
  }, 120_000);

  it("markupsafe's Markdown README without its content type does not render as reStructuredText: TWINE_CHECK_FAILED (plus the warning)", async () => {
    const { report, codes } = await run(noContentType());
    expect(codes).toEqual(['TWINE_CHECK_FAILED', 'TWINE_STRICT_WARNING']);
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.code === 'TWINE_CHECK_FAILED')!.message).toMatch(/^twine check --strict: ERROR `long_description` has syntax errors in markup and would not be rendered on PyPI\. line \d+: /);
  }, 120_000);
});
