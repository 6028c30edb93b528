"""validate-wheels' external checks in ONE Python process of the pinned toolchain.

`twine check --strict <file>` and `auditwheel show <wheel>` are run through their own command-line
entry points (twine.cli.dispatch, auditwheel.main.main), one file at a time, in this process: the
interpreter starts and twine / auditwheel are imported once instead of once per file and tool.
Each run's stdout and stderr are captured separately, as if it had been its own process: logging is
configured afresh before each run the way that tool's console script does it, and an exception
escaping a run becomes a traceback on its stderr and exit code 1, so one broken file does not stop
the others.

No work twice: `twine check` builds twine's PackageFile, whose HashManager reads the whole file for
its sha256 / blake2b digests, which the check never looks at (it judges the metadata and renders
the description) and which validate-wheels has already computed for SHA256SUMS. Here that hashing
is skipped (HashManager.hash is a no-op during the twine runs), so a 200 MB wheel is not read again
in Python; the output is unchanged.

usage: python external_checks.py (twine|auditwheel):<path> ...
prints one JSON object: {"results": [{"tool", "file", "exitCode", "stdout", "stderr"}, ...]}
in argument order. Environment: NO_COLOR / TERM / COLUMNS as the runner sets them.
"""

import io
import json
import logging
import sys
import traceback


class _Current:
    """A stream that writes to whatever buffer the current run has (set per run)."""

    def __init__(self):
        self.buffer_ = io.StringIO()
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, s):
        return self.buffer_.write(s)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise io.UnsupportedOperation("fileno")


def _exit_code(e):
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    print(e.code, file=sys.stderr)
    return 1


def _reset_logging():
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.setLevel(logging.WARNING)


def _twine(path):
    import requests
    from twine import cli, exceptions

    from twine import package

    package.HashManager.hash = lambda self: None  # digests unused by `check` (see the module docstring)
    _reset_logging()
    cli.configure_output()
    try:
        error = cli.dispatch(["check", "--strict", path])
    except requests.HTTPError as exc:  # as twine's __main__ does; check makes no requests
        logging.getLogger("twine").error(f"{exc.__class__.__name__}: {exc}")
        error = True
    except exceptions.TwineException as exc:
        logging.getLogger("twine").error(f"{exc.__class__.__name__}: {exc.args[0]}")
        error = True
    return 1 if error else 0


def _auditwheel(path):
    from auditwheel import main as auditwheel_main

    _reset_logging()
    sys.argv = ["auditwheel", "show", path]
    return auditwheel_main.main() or 0


def main(argv):
    real_stdout = sys.stdout
    out, err = _Current(), _Current()
    sys.stdout, sys.stderr = out, err
    results = []
    for arg in argv:
        tool, _, path = arg.partition(":")
        out.buffer_, err.buffer_ = io.StringIO(), io.StringIO()
        try:
            if tool == "twine":
                code = _twine(path)
            elif tool == "auditwheel":
                code = _auditwheel(path)
            else:
                print(f"unknown tool {tool!r}; use twine:<path> or auditwheel:<path>", file=sys.stderr)
                code = 2
        except SystemExit as e:
            code = _exit_code(e)
        except BaseException:  # noqa: BLE001 - reported as that file's failure, as its own process would
            traceback.print_exc(file=sys.stderr)
            code = 1
        for h in logging.getLogger().handlers:
            h.flush()
        results.append({"tool": tool, "file": path, "exitCode": code, "stdout": out.buffer_.getvalue(), "stderr": err.buffer_.getvalue()})
    sys.stdout, sys.stderr = real_stdout, sys.__stderr__
    real_stdout.write(json.dumps({"results": results}) + "\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
