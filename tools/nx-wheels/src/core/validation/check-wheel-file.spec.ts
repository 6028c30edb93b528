/** The WHEEL family on wheels built in the test (one valid and one broken case per rule). */
import { context, replaceText, validEntries, wheelName } from '../../../test/validate-wheels/synthetic';
import { checkWheelFile } from './check-wheel-file';

const DI = 'demo-1.0.dist-info';
const WHEEL = `${DI}/WHEEL`;
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code).sort();
const run = async (edit: (t: string) => string = (t) => t, file = wheelName()) => checkWheelFile(await context(replaceText(validEntries(), WHEEL, edit), file), DI);

describe('check-wheel-file', () => {
  it('Wheel-Version 1.0, Root-Is-Purelib false, the filename\'s tag', async () => {
    const r = await run();
    expect(codes(r)).toEqual([]);
    expect(r.notes?.WHEEL).toBe('Wheel-Version 1.0, Root-Is-Purelib false');
  });

  it('WHEEL_FILE_MISSING: no WHEEL', async () => {
    const r = checkWheelFile(await context(validEntries().filter((e) => e.name !== WHEEL)), DI);
    expect(codes(r)).toEqual(['WHEEL_FILE_MISSING']);
  });

  it('WHEEL_FILE_INVALID: Wheel-Version 2.0; Root-Is-Purelib missing; not UTF-8', async () => {
    expect(codes(await run((t) => t.replace('Wheel-Version: 1.0', 'Wheel-Version: 2.0')))).toEqual(['WHEEL_FILE_INVALID']);
    expect(codes(await run((t) => t.replace('Root-Is-Purelib: false\n', '')))).toEqual(['WHEEL_FILE_INVALID']);
    const es = validEntries().map((e) => (e.name === WHEEL ? { ...e, data: Buffer.from([0xff, 0xfe, 0x00, 0x41]) } : e));
    expect(codes(checkWheelFile(await context(es), DI))).toEqual(['WHEEL_FILE_INVALID']);
  });

  it('WHEEL_TAGS_MISMATCH: Tag for another platform than the filename', async () => {
    expect(codes(await run((t) => t.replace('manylinux_2_17_x86_64', 'manylinux_2_17_aarch64')))).toEqual(['WHEEL_TAGS_MISMATCH']);
  });

  it('WHEEL_ROOT_IS_PURELIB: true in a binary wheel (and fine in a pure one)', async () => {
    expect(codes(await run((t) => t.replace('Root-Is-Purelib: false', 'Root-Is-Purelib: true')))).toEqual(['WHEEL_ROOT_IS_PURELIB']);
    const pure = await run((t) => t.replace('Root-Is-Purelib: false', 'Root-Is-Purelib: true').replace('cp313-cp313-manylinux_2_17_x86_64', 'py3-none-any'), 'demo-1.0-py3-none-any.whl');
    expect(codes(pure)).toEqual([]);
  });

  it('WHEEL_BUILD_TAG_MISMATCH: Build: 1 without a build tag in the filename, and the reverse', async () => {
    expect(codes(await run((t) => t.replace('Root-Is-Purelib', 'Build: 1\nRoot-Is-Purelib')))).toEqual(['WHEEL_BUILD_TAG_MISMATCH']);
    expect(codes(await run((t) => t, 'demo-1.0-1-cp313-cp313-manylinux_2_17_x86_64.whl'))).toEqual(['WHEEL_BUILD_TAG_MISMATCH']);
    expect(codes(await run((t) => t.replace('Root-Is-Purelib', 'Build: 1\nRoot-Is-Purelib'), 'demo-1.0-1-cp313-cp313-manylinux_2_17_x86_64.whl'))).toEqual([]);
  });
});
