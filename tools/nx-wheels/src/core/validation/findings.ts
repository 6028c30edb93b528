/** One thing validate-wheels found wrong, with its stable code and fix. */
import { CheckName, Code, CODES, Severity } from './codes';

export interface Finding {
  code: Code;
  severity: Severity;
  check: CheckName;
  /** Wheel directory entry the finding is about (basename), or null for the wheelhouse or configuration. */
  file: string | null;
  /** What inside it: an archive path, an identifier, a RECORD line; or null. */
  subject: string | null;
  /** One line: what is wrong here, with the values compared. */
  message: string;
  /** One line: how to fix it (the code's fix). */
  fix: string;
}

/** Build a finding; severity, check and fix come from the code's catalog entry. */
export function finding(code: Code, file: string | null, message: string, subject: string | null = null): Finding {
  const info = CODES[code];
  return { code, severity: info.severity, check: info.check, file, subject, message: message.replace(/\s*\n\s*/g, ' ').trim(), fix: info.fix };
}

