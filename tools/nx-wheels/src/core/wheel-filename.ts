/**
 * Wheel filenames, per the binary distribution format spec
 * (https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention):
 * `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`, where each
 * tag may be a compressed tag set joined by `.` (`manylinux_2_17_x86_64.manylinux2014_x86_64`).
 */

/** A parsed wheel filename. */
export interface WheelFilename {
  filename: string;
  /** Distribution part as written (escaped: `_` for runs of `-_.`). */
  distribution: string;
  version: string;
  /** Build tag, e.g. `1` or `1abc`, or null. */
  buildTag: string | null;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
  /** Every `python-abi-platform` combination the compressed tag sets expand to. */
  tags: string[];
}

/**
 * Parse a wheel filename (basename).
 * @returns the parts, or `null` when the name does not follow the grammar above.
 */
export function parseWheelFilename(filename: string): WheelFilename | null {
  if (!filename.endsWith('.whl')) return null;
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return null;
  if (parts.some((p) => p.length === 0)) return null;
  const [distribution, version] = parts;
  const buildTag = parts.length === 6 ? parts[2] : null;
  if (buildTag !== null && !/^\d/.test(buildTag)) return null;
  const [py, abi, plat] = parts.slice(-3);
  if (!/^[A-Za-z0-9_.]+$/.test(distribution) || /[^A-Za-z0-9_.!+]/.test(version)) return null;
  const pythonTags = py.split('.');
  const abiTags = abi.split('.');
  const platformTags = plat.split('.');
  const tags: string[] = [];
  for (const p of pythonTags) for (const a of abiTags) for (const pl of platformTags) tags.push(`${p}-${a}-${pl}`);
  return { filename, distribution, version, buildTag, pythonTags, abiTags, platformTags, tags };
}
