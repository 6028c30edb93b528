# Sourced by bench scripts: the native engine's work done by hand, with no Nx and no plugin, as the
# "bare commands" side of a side-by-side ratio. Expects, in the calling shell: the current directory
# a workspace copy (git repository), BENV (the cp313 build env venv), TC (the toolchain venv's bin)
# and PY313 (the CPython 3.13 executable). Steps, as build-wheels does them: stage the git-tracked
# files of bindings/python and libs/quiver, python -m build --wheel (SOURCE_DATE_EPOCH = HEAD's
# commit time), auditwheel repair, fresh venv + pip install of the wheel and pytest, the test suite.
native_direct_build() {
  local d; d=$(mktemp -d /tmp/quiver-direct-XXXX)
  mkdir -p "$d/stage"
  git ls-files -z bindings/python libs/quiver | tar --null -T - -cf - | tar -xf - -C "$d/stage"
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) "$BENV/bin/python" -m build --wheel --outdir "$d/raw" "$d/stage/bindings/python" >/dev/null 2>&1
  PATH="$TC:$PATH" "$TC/auditwheel" repair -w "$d/repaired" "$d"/raw/*.whl >/dev/null 2>&1
  "$PY313" -m venv "$d/venv"
  "$d/venv/bin/python" -m pip install -q --disable-pip-version-check "$d"/repaired/*.whl pytest >/dev/null
  (mkdir "$d/cwd" && cd "$d/cwd" && "$d/venv/bin/pytest" "$d/stage/bindings/python/tests" -p no:cacheprovider --import-mode=importlib -q >/dev/null)
  rm -rf "$d"
}
