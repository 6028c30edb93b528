/**
 * Judging the output of the optional external checks: `twine check --strict` and
 * `auditwheel show`. The processes are run by runners/; this module only reads what they printed.
 */
import { Finding, finding } from './findings';
import { claimedPolicy, linuxPolicy } from './platform-tags';

/** What a tool run returned. */
export interface ToolOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

// Terminal colour codes, in case a tool ignores NO_COLOR.
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The lines worth showing from a failed tool run: its ERROR/WARNING lines, else its last line. */
function reasons(out: ToolOutput): string[] {
  const lines = stripAnsi(`${out.stdout}\n${out.stderr}`)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const flagged = lines.filter((l) => /^(ERROR|WARNING)\b/.test(l)).map((l) => l.replace(/\s+/g, ' '));
  if (flagged.length) return flagged;
  const last = lines.filter((l) => !/^Checking\b/.test(l)).pop();
  return [last ?? `exited ${out.exitCode}`];
}

/** Findings from `twine check --strict <wheel>`: one TWINE_CHECK_FAILED per reported problem. */
export function twineFindings(file: string, out: ToolOutput): Finding[] {
  if (out.exitCode === 0) return [];
  return reasons(out).map((r) => finding('TWINE_CHECK_FAILED', file, `twine check --strict: ${r}`));
}

/** The platform tag `auditwheel show` says the wheel is consistent with, or null. */
export function auditwheelConsistentTag(stdout: string): string | null {
  const m = /consistent\s+with\s+the\s+following\s+platform\s+tag:\s*"([^"]+)"/.exec(stripAnsi(stdout));
  return m ? m[1] : null;
}

/**
 * Findings from `auditwheel show <wheel>`: AUDITWHEEL_FAILED when it could not analyse the wheel,
 * AUDITWHEEL_POLICY_MISMATCH when the wheel claims an older policy than its symbols allow.
 * @param platformTags the wheel's platform tags from its filename
 */
export function auditwheelFindings(file: string, platformTags: string[], out: ToolOutput): { findings: Finding[]; consistentTag: string | null } {
  const consistentTag = out.exitCode === 0 ? auditwheelConsistentTag(out.stdout) : null;
  if (out.exitCode !== 0 || !consistentTag) {
    return { findings: [finding('AUDITWHEEL_FAILED', file, `auditwheel show: ${reasons(out)[0]}`)], consistentTag: null };
  }
  const claimed = claimedPolicy(platformTags);
  const actual = linuxPolicy(consistentTag);
  if (!claimed) return { findings: [], consistentTag };
  if (!actual || actual.libc !== claimed.libc) {
    return {
      findings: [finding('AUDITWHEEL_POLICY_MISMATCH', file, `the filename claims ${claimed.name} but auditwheel show finds the wheel only consistent with "${consistentTag}"`)],
      consistentTag,
    };
  }
  if (claimed.major < actual.major || (claimed.major === actual.major && claimed.minor < actual.minor)) {
    return {
      findings: [finding('AUDITWHEEL_POLICY_MISMATCH', file, `the filename claims ${claimed.name} (${claimed.libc} ${claimed.major}.${claimed.minor}) but its symbols need ${actual.libc} ${actual.major}.${actual.minor} ("${consistentTag}"); it would fail to import on older systems`)],
      consistentTag,
    };
  }
  return { findings: [], consistentTag };
}
