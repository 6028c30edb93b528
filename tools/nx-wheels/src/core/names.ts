/**
 * Project-name normalization (PEP 503, "Normalized names" in the packaging spec:
 * https://packaging.python.org/en/latest/specifications/name-normalization/).
 */

/** `Foo.Bar__baz` -> `foo-bar-baz`: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/** The form a distribution name takes in a wheel filename: `foo-bar` -> `foo_bar` (binary distribution format spec). */
export function wheelFilenameName(name: string): string {
  return normalizeName(name).replace(/-/g, '_');
}

/** True when `name` is a valid project name per the core metadata spec (`Name` field). */
export function isValidProjectName(name: string): boolean {
  return /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i.test(name);
}
