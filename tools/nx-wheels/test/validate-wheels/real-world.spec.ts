/**
 * validate-wheels on real third-party wheels from PyPI (markupsafe 3.0.3, a C extension, fetched
 * with pip download and cached under .nx-wheels/test-downloads/) and broken copies of them:
 * binaries that do not match the platform tag, local header / central directory disagreements,
 * local versions. Each case asserts the exact set of codes it produces. External checks are off
 * (external.spec.ts covers twine and auditwheel) and the identifiers are given: no processes run
 * here except pip, once, to download.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Code } from '../../src/core/validation/codes';
import { reportCodes, ValidationReport } from '../../src/core/validation/report';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { THIRD_PARTY, thirdPartyWheels, thirdPartyWorkspace } from '../publish/fixtures';
import { edit, readZip, rewriteRecord, writeZip, WORKSPACE, ZEntry } from './fixtures';

/** One more real wheel of the same release, for another platform (downloaded once, cached). */
function downloadWheel(platform: string): string {
  const dir = join(WORKSPACE, '.nx-wheels', 'test-downloads', `${THIRD_PARTY.name}-${THIRD_PARTY.version}-cp313-${platform}`);
  const have = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.whl')) : []);
  if (have().length !== 1) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    execFileSync('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--only-binary=:all:', '--no-deps', '--platform', platform, '--python-version', '3.13', '--implementation', 'cp', '--abi', 'cp313', '-d', tmp, `${THIRD_PARTY.name}==${THIRD_PARTY.version}`], { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return join(dir, have()[0]);
}

const workspaces: string[] = [];
let LINUX: string;
let WINDOWS: string;
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));
beforeAll(() => {
  [LINUX, WINDOWS] = thirdPartyWheels();
}, 10 * 60_000);

/** Validate the pair (optionally altered) as the markupsafe project's release. */
async function run(alter: (wheelDir: string, files: string[]) => Promise<unknown> | unknown = () => undefined, pyprojectVersion?: string): Promise<{ report: ValidationReport; codes: Code[] }> {
  const t = thirdPartyWorkspace();
  workspaces.push(t.ws);
  if (pyprojectVersion) {
    const p = join(t.ws, t.projectRoot, 'pyproject.toml');
    writeFileSync(p, readFileSync(p, 'utf8').replace(`version = "${THIRD_PARTY.version}"`, `version = "${pyprojectVersion}"`));
  }
  await alter(t.wheelDir, t.files);
  const report = await validateWheels(
    { workspaceRoot: t.ws, projectRoot: t.projectRoot, projectName: 'pkg', externalChecks: false },
    { out: () => undefined, err: () => undefined },
    { env: {}, identifiers: THIRD_PARTY.identifiers },
  );
  return { report, codes: reportCodes(report) };
}

/** Rewrite one wheel of the directory: entries edited by `fn`, RECORD regenerated as a build backend would. */
async function rewrite(wheelDir: string, file: string, fn: (es: ZEntry[]) => ZEntry[] | Promise<ZEntry[]>, newName?: string): Promise<void> {
  const path = join(wheelDir, file);
  const entries = rewriteRecord(await fn(await readZip(path)));
  rmSync(path);
  writeFileSync(join(wheelDir, newName ?? file), writeZip(entries));
}

const extension = async (wheel: string) => (await readZip(wheel)).find((e) => /_speedups\..*(so|pyd)$/.test(e.name))!;

describe('binaries match the platform tag (real markupsafe 3.0.3 wheels)', () => {
  it('the published manylinux x86_64 and win_amd64 wheels pass every check', async () => {
    const { report } = await run();
    expect(report.findings).toEqual([]);
    const detail = (w: string) => report.wheels.find((x) => x.file.includes(w))!.checks.find((c) => c.check === 'binaries')!;
    expect(detail('manylinux')).toEqual({ check: 'binaries', status: 'ok', detail: '1 binary, all ELF x86-64' });
    expect(detail('win_amd64')).toEqual({ check: 'binaries', status: 'ok', detail: '1 binary, all PE32+ AMD64' });
  });

  it('a .pyd inside the manylinux wheel is BINARY_SUFFIX_MISMATCH', async () => {
    const pyd = await extension(WINDOWS);
    const linux = basename(LINUX);
    const { report, codes } = await run((d) => rewrite(d, linux, (es) => [...es, { ...pyd, name: 'markupsafe/_speedups2.cp313-win_amd64.pyd' }]));
    expect(codes).toEqual(['BINARY_SUFFIX_MISMATCH']);
    expect(report.findings[0]).toMatchObject({ file: linux, subject: 'markupsafe/_speedups2.cp313-win_amd64.pyd' });
  });

  it('a .so inside the win_amd64 wheel is BINARY_SUFFIX_MISMATCH', async () => {
    const so = await extension(LINUX);
    const { codes } = await run((d) => rewrite(d, basename(WINDOWS), (es) => [...es, so]));
    expect(codes).toEqual(['BINARY_SUFFIX_MISMATCH']);
  });

  it('an ELF file renamed .pyd inside the win_amd64 wheel is BINARY_FORMAT_MISMATCH, naming both formats', async () => {
    const so = await extension(LINUX);
    const { report, codes } = await run((d) => rewrite(d, basename(WINDOWS), (es) => es.map((e) => (e.name.endsWith('.pyd') ? { ...e, data: so.data } : e))));
    expect(codes).toEqual(['BINARY_FORMAT_MISMATCH']);
    expect(report.findings[0].message).toBe('markupsafe/_speedups.cp313-win_amd64.pyd is ELF 64-bit x86-64; win_amd64 needs PE32+ AMD64');
  });

  it('a PE file renamed .so inside the manylinux wheel is BINARY_FORMAT_MISMATCH for each platform tag at once', async () => {
    const pyd = await extension(WINDOWS);
    const { report, codes } = await run((d) => rewrite(d, basename(LINUX), (es) => es.map((e) => (e.name.endsWith('.so') ? { ...e, data: pyd.data } : e))));
    expect(codes).toEqual(['BINARY_FORMAT_MISMATCH']);
    expect(report.findings[0].message).toMatch(/is PE32\+ AMD64; manylinux2014_x86_64 needs ELF x86-64$/);
  });

  it('the aarch64 extension inside the x86_64 wheel is BINARY_ARCH_MISMATCH; in its own aarch64 wheel it passes', async () => {
    const aarch64Wheel = downloadWheel('manylinux2014_aarch64');
    const arm = await extension(aarch64Wheel);
    const { report, codes } = await run((d) => rewrite(d, basename(LINUX), (es) => es.map((e) => (e.name.endsWith('.so') ? { ...arm, name: e.name } : e))));
    expect(codes).toEqual(['BINARY_ARCH_MISMATCH']);
    expect(report.findings[0].message).toMatch(/is ELF 64-bit AArch64; manylinux2014_x86_64 needs ELF x86-64$/);
    // The same file in its own wheel (identifier cp313-manylinux_aarch64) is fine.
    const own = await run(async (d, files) => {
      rmSync(join(d, basename(LINUX)));
      writeFileSync(join(d, basename(aarch64Wheel)), readFileSync(aarch64Wheel));
      void files;
    });
    expect(own.codes).toEqual(['WHEEL_EXTRA', 'WHEEL_MISSING']); // only the set is wrong (aarch64 is not selected), not the binaries
    expect(own.report.wheels.find((w) => w.file.includes('aarch64'))!.checks.find((c) => c.check === 'binaries')!.status).toBe('ok');
  });
});

/** Offsets of the local file headers of a zip, by name, as its central directory lists them. */
function localHeaders(zip: Buffer): Map<string, number> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, number>();
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const n = zip.readUInt16LE(p + 28);
    out.set(zip.subarray(p + 46, p + 46 + n).toString('utf8'), zip.readUInt32LE(p + 42));
    p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

describe('zip consistency (real manylinux wheel, bytes patched in place)', () => {
  const patch = (fn: (zip: Buffer, at: Map<string, number>) => Buffer | void) => async (d: string) => {
    const path = join(d, basename(LINUX));
    const zip = readFileSync(path);
    writeFileSync(path, fn(zip, localHeaders(zip)) ?? zip);
  };

  it('a local header naming another path than the central directory is ZIP_LOCAL_HEADER_MISMATCH', async () => {
    const { report, codes } = await run(
      patch((zip, at) => {
        const off = at.get('markupsafe/_native.py')!;
        zip.write('markupsafe/_nativ3.py', off + 30); // same length: only the name differs
      }),
    );
    expect(codes).toEqual(['ZIP_LOCAL_HEADER_MISMATCH']);
    expect(report.findings[0].message).toBe('markupsafe/_native.py: local header names "markupsafe/_nativ3.py", central directory "markupsafe/_native.py"');
  });

  it('a local header with another CRC-32 and size is ZIP_LOCAL_HEADER_MISMATCH', async () => {
    const { report, codes } = await run(
      patch((zip, at) => {
        const off = at.get('markupsafe/__init__.py')!;
        zip.writeUInt32LE(0xdeadbeef, off + 14);
        zip.writeUInt32LE(zip.readUInt32LE(off + 22) + 1, off + 22);
      }),
    );
    expect(codes).toEqual(['ZIP_LOCAL_HEADER_MISMATCH']);
    expect(report.findings[0].message).toMatch(/CRC-32 deadbeef in the local header, [0-9a-f]+ in the central directory; size \d+ in the local header, \d+ in the central directory$/);
  });

  it('bytes hidden between the last entry and the central directory are ZIP_UNCLAIMED_DATA', async () => {
    const { report, codes } = await run(
      patch((zip) => {
        const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
        const cd = zip.readUInt32LE(eocd + 16);
        const hidden = Buffer.from('#!/bin/sh\necho hidden payload\n');
        const out = Buffer.concat([zip.subarray(0, cd), hidden, zip.subarray(cd)]);
        out.writeUInt32LE(cd + hidden.length, eocd + hidden.length + 16);
        return out;
      }),
    );
    expect(codes).toEqual(['ZIP_UNCLAIMED_DATA']);
    expect(report.findings[0].message).toMatch(/^bytes \d+ to \d+ \(30 bytes\) before the central directory belong to no entry$/);
  });

  it('two central directory entries pointing at one local header are ZIP_ENTRIES_OVERLAP', async () => {
    const { codes } = await run(
      patch((zip, at) => {
        // py.typed is empty; point _speedups.pyi's central entry at its header: both claim the same bytes.
        const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
        let p = zip.readUInt32LE(eocd + 16);
        for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
          const n = zip.readUInt16LE(p + 28);
          if (zip.subarray(p + 46, p + 46 + n).toString('utf8') === 'markupsafe/py.typed') zip.writeUInt32LE(at.get('markupsafe/_speedups.pyi')!, p + 42);
          p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
        }
      }),
    );
    // The moved entry now reads another entry's header (its name, CRC and sizes differ) and its own header's bytes are claimed by nothing.
    expect(codes).toEqual(['ZIP_CORRUPT', 'ZIP_ENTRIES_OVERLAP', 'ZIP_LOCAL_HEADER_MISMATCH', 'ZIP_UNCLAIMED_DATA']);
  });

  it('a zip written by Python zipfile to a stream (data descriptors, bit 3) passes the archive checks', async () => {
    const { codes, report } = await run(async (d) => {
      const path = join(d, basename(LINUX));
      const script =
        'import sys,zipfile\nsrc=zipfile.ZipFile(sys.argv[1])\nclass W:\n  def __init__(s,f): s.f=f\n  def write(s,b): return s.f.write(b)\n  def flush(s): s.f.flush()\n' +
        'out=open(sys.argv[2],"wb")\nz=zipfile.ZipFile(W(out),"w",zipfile.ZIP_DEFLATED)\nfor i in src.infolist():\n  z.writestr(i,src.read(i))\nz.close()\n';
      execFileSync('python3', ['-c', script, path, `${path}.new`]);
      renameSync(`${path}.new`, path);
    });
    expect(codes).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('no local versions (PEP 440 local segment)', () => {
  const relabel = (v: string, nameToo: boolean) => (es: ZEntry[]) =>
    edit(es, '*.dist-info/METADATA', (t) => t.replace(/^Version: .*?(\r?)$/m, `Version: ${v}$1`)).map((e) =>
      nameToo ? { ...e, name: e.name.replace(`markupsafe-${THIRD_PARTY.version}.dist-info/`, `markupsafe-${v}.dist-info/`) } : e,
    );

  it('a release whose filename, METADATA and pyproject say 3.0.3+local is VERSION_LOCAL (pyproject and each wheel)', async () => {
    const v = `${THIRD_PARTY.version}+local`;
    const { report, codes } = await run(async (d, files) => {
      for (const f of files) await rewrite(d, f, relabel(v, true), f.replace(`-${THIRD_PARTY.version}-`, `-${v}-`));
    }, v);
    expect(codes).toEqual(['VERSION_LOCAL']);
    expect(report.findings.map((f) => f.file === null)).toEqual([true, false, false]);
    expect(report.findings[1].message).toBe('filename version "3.0.3+local" has the local label "+local", which PyPI refuses');
  });

  it('a local version only in METADATA is VERSION_LOCAL beside METADATA_VERSION_MISMATCH', async () => {
    const { codes } = await run((d) => rewrite(d, basename(LINUX), relabel(`${THIRD_PARTY.version}+cu121`, false)));
    expect(codes).toEqual(['METADATA_VERSION_MISMATCH', 'VERSION_LOCAL']);
  });

  it('a public version with a post-release segment is not local', async () => {
    const v = `${THIRD_PARTY.version}.post1`;
    const { codes } = await run(async (d, files) => {
      for (const f of files) await rewrite(d, f, relabel(v, true), f.replace(`-${THIRD_PARTY.version}-`, `-${v}-`));
    }, v);
    expect(codes).toEqual([]);
  });
});
