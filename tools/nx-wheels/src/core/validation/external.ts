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

// Terminal colour codes, in case a tool ignores NO_COLOR (the ESC control character is the point).
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * The problems a failed tool run reported: each ERROR/WARNING line with its indented continuation
 * lines joined, and its level; else the run's last line as an error.
 */
function reasons(out: ToolOutput): Array<{ level: 'ERROR' | 'WARNING'; text: string }> {
  const raw = stripAnsi(`${out.stdout}\n${out.stderr}`).split(/\r?\n/);
  const flagged: Array<{ level: 'ERROR' | 'WARNING'; text: string }> = [];
  let current: { level: 'ERROR' | 'WARNING'; text: string } | null = null;
  for (const line of raw) {
    const m = /^(ERROR|WARNING)\b\s*(.*)$/.exec(line.trim());
    if (m) {
      current = { level: m[1] as 'ERROR' | 'WARNING', text: `${m[1]} ${m[2]}`.trim() };
      flagged.push(current);
    } else if (current && /^\s+\S/.test(line)) current.text += ` ${line.trim()}`;
    else current = null;
  }
  if (flagged.length) return flagged.map((f) => ({ ...f, text: f.text.replace(/\s+/g, ' ') }));
  const last = raw.map((l) => l.trim()).filter((l) => l && !/^Checking\b/.test(l)).pop();
  return [{ level: 'ERROR', text: last ?? `exited ${out.exitCode}` }];
}

/**
 * Findings from `twine check --strict <file>`. What PyPI refuses (an ERROR, e.g. a long
 * description that would not render) is TWINE_CHECK_FAILED; what only `--strict` turns into a
 * failure (a WARNING, e.g. `long_description_content_type` missing, which PyPI accepts and renders
 * as reStructuredText) is TWINE_STRICT_WARNING, a warning, unless `strict` keeps it fatal.
 * @param strict report --strict warnings as TWINE_CHECK_FAILED (option twineStrict)
 */
export function twineFindings(file: string, out: ToolOutput, strict = false): Finding[] {
  if (out.exitCode === 0) return [];
  return reasons(out).map((r) => finding(r.level === 'WARNING' && !strict ? 'TWINE_STRICT_WARNING' : 'TWINE_CHECK_FAILED', file, `twine check --strict: ${r.text}`));
}

/** The platform tag `auditwheel show` says the wheel is consistent with, or null. */
function auditwheelConsistentTag(stdout: string): string | null {
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
    return { findings: [finding('AUDITWHEEL_FAILED', file, `auditwheel show: ${reasons(out)[0].text}`)], consistentTag: null };
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
