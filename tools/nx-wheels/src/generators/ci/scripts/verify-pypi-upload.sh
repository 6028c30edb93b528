#@ release.yml, publish job (in the pypi-upload directory): the artifact is exactly what validate
#@ made (env: EXPECTED_SUMS, the fingerprint of its SHA256SUMS); outputs count, the files to upload.
if [ ! -f SHA256SUMS ]; then
  echo "::error title=pypi-upload::SHA256SUMS is missing from the pypi-upload artifact; re-run all jobs of this workflow run (the validate job writes it)."
  exit 1
fi
actual="$(sha256sum SHA256SUMS | cut -c1-64)"
if [ -z "$EXPECTED_SUMS" ] || [ "$actual" != "$EXPECTED_SUMS" ]; then
  echo "::error title=pypi-upload::SHA256SUMS of the pypi-upload artifact has sha256 $actual, but the validate job made one with ${EXPECTED_SUMS:-(no fingerprint)}; re-run all jobs of this workflow run."
  exit 1
fi
mkdir -p dist # an empty dist/ (nothing to upload) does not survive the artifact
listed="$(sed -E 's/^[0-9a-f]{64} [ *]//' SHA256SUMS | LC_ALL=C sort)"
present="$(find dist -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)"
if [ "$listed" != "$present" ]; then
  echo "::error title=pypi-upload::dist/ and SHA256SUMS of the pypi-upload artifact do not name the same files; re-run all jobs of this workflow run so that validate makes the artifact again."
  diff <(printf '%s\n' "$listed") <(printf '%s\n' "$present") || true
  exit 1
fi
count=0
if [ -n "$present" ]; then
  count="$(printf '%s\n' "$present" | grep -c .)"
  (cd dist && sha256sum -c --strict ../SHA256SUMS)
fi
echo "count=$count" >> "$GITHUB_OUTPUT"
if [ "$count" -eq 0 ]; then
  echo "Nothing to upload: PyPI already has every file of this release with identical bytes (see the validate job's preflight)." | tee -a "$GITHUB_STEP_SUMMARY"
else
  { echo "Uploading $count file(s) to PyPI:"; echo; sed 's/^/    /' SHA256SUMS; } | tee -a "$GITHUB_STEP_SUMMARY"
fi
