"""`twine upload` with exactly one retry policy: publish's own (src/compat/twine.ts runs this file).

twine 7 retries a 5xx answer to an upload up to 5 times inside `Repository.upload` and lets urllib3
retry failed connections (`make_requests_session`), with no option to turn either off. This wrapper
makes `Repository.upload` send each file once, mounts adapters without retries, gives every request
the per-request timeout (`QUIVER_REQUEST_TIMEOUT` seconds: connecting, and each wait for bytes of the
answer), and prints `QUIVER_ATTEMPT {"file"}` before and `QUIVER_RESPONSE {"file", "status", "reason",
"retryAfter", "body"}` after each upload (body cut at 2000 characters), so the caller knows which files
were tried and sees Retry-After and the index's reason. Everything else is twine's own `main()`: it
uploads the files in order and stops at the first failure.

Version guard: the patch replaces twine internals, so before anything is patched it checks that the
installed twine is in `QUIVER_TWINE_TESTED` (a PEP 440 specifier set) and has the functions it
replaces with the expected parameters; otherwise it prints one `QUIVER_TWINE_UNSUPPORTED {"version",
"problems"}` line on stderr and exits with status 3, uploading nothing.
"""

import inspect
import json
import os
import sys

UNSUPPORTED_EXIT = 3


def _emit(kind, data):
    sys.stderr.write(kind + " " + json.dumps(data) + "\n")
    sys.stderr.flush()


def _problems(repository):
    """What keeps the patch from applying to this twine (empty when it applies)."""
    from importlib.metadata import version
    from packaging.specifiers import SpecifierSet

    problems = []
    tested = os.environ.get("QUIVER_TWINE_TESTED", "")
    installed = version("twine")
    if tested and installed not in SpecifierSet(tested):
        problems.append(f"version {installed} is outside the tested range {tested}")
    make_session = getattr(repository, "make_requests_session", None)
    if not callable(make_session):
        problems.append("twine.repository has no make_requests_session")
    cls = getattr(repository, "Repository", None)
    for name, params in (("upload", ["self", "package", "max_redirects"]), ("_upload", ["self", "package"])):
        fn = getattr(cls, name, None)
        if not callable(fn):
            problems.append(f"twine.repository.Repository has no {name}")
        elif list(inspect.signature(fn).parameters)[: len(params)] != params:
            problems.append(f"twine.repository.Repository.{name} takes {list(inspect.signature(fn).parameters)}, not {params}")
    return installed, problems


def install(repository):
    """Patch twine's session factory and Repository.upload (see the module docstring)."""
    from requests.adapters import HTTPAdapter

    timeout = float(os.environ.get("QUIVER_REQUEST_TIMEOUT", "300"))
    make_session = repository.make_requests_session

    def session():
        s = make_session()
        for scheme in ("http://", "https://"):
            s.mount(scheme, HTTPAdapter(max_retries=0))
        request = s.request

        def timed(method, url, **kw):
            kw.setdefault("timeout", timeout)
            return request(method, url, **kw)

        s.request = timed
        return s

    def upload(self, package, max_redirects=5):
        _emit("QUIVER_ATTEMPT", {"file": package.basefilename})
        resp = self._upload(package)
        try:
            body = resp.text[:2000]
        except Exception:
            body = ""
        _emit("QUIVER_RESPONSE", {"file": package.basefilename, "status": resp.status_code, "reason": resp.reason or "", "retryAfter": resp.headers.get("Retry-After"), "body": body})
        return resp

    repository.make_requests_session = session
    repository.Repository.upload = upload


def main():
    import twine.repository as repository

    installed, problems = _problems(repository)
    if problems:
        _emit("QUIVER_TWINE_UNSUPPORTED", {"version": installed, "problems": problems})
        return UNSUPPORTED_EXIT
    install(repository)
    from twine.__main__ import main as twine_main

    sys.argv[0] = "twine"
    return twine_main()


if __name__ == "__main__":
    sys.exit(main())
