#@ release.yml, release job: creates or completes the GitHub Release of $TAG, idempotent on re-runs
#@ (env: GH_TOKEN, GH_REPO, TAG, VERSION, PRERELEASE). Placeholder: TITLE (bash text before the version).
set -euo pipefail
shopt -s nullglob
assets=(wheels/*.whl wheels/*.tar.gz release/SHA256SUMS)
pre=()
if [ "$PRERELEASE" = true ]; then pre=(--prerelease --latest=false); fi
# First line draft|published, then one "name<TAB>sha256" line per attached asset.
if ! listing="$(gh release view "$TAG" --json isDraft,assets --jq '(if .isDraft then "draft" else "published" end), (.assets[] | [.name, ((.digest // "") | sub("^sha256:"; ""))] | @tsv)' 2>/dev/null)"; then
  # The version's CHANGELOG.md section; GitHub's generated notes when it is empty.
  if grep -q '[^[:space:]]' release/release-notes.md; then
    notes=(--notes-file release/release-notes.md)
  else
    notes=(--generate-notes)
  fi
  gh release create "$TAG" --verify-tag --title "@@TITLE@@ $VERSION" "${notes[@]}" "${pre[@]}" "${assets[@]}"
  exit 0
fi
state="$(head -n 1 <<<"$listing")"
attached="$(tail -n +2 <<<"$listing")"
upload=()
conflict=0
for f in "${assets[@]}"; do
  name="${f##*/}"
  want="$(sha256sum "$f" | cut -c1-64)"
  have="$(awk -F '\t' -v n="$name" '$1 == n { print "=" $2; exit }' <<<"$attached")"
  if [ -z "$have" ]; then
    echo "$name: not attached yet, uploading"
    upload+=("$f")
    continue
  fi
  have="${have#=}"
  if [ -z "$have" ]; then # attached before GitHub recorded digests: hash the attached bytes
    dir="$(mktemp -d)"
    gh release download "$TAG" --pattern "$name" --dir "$dir"
    have="$(sha256sum "$dir/$name" | cut -c1-64)"
  fi
  if [ "$have" = "$want" ]; then
    echo "$name: already attached with the same sha256 $want, skipped"
  else
    echo "::error title=GitHub Release::release $TAG already has $name with sha256 $have, but this run's $name has sha256 $want; assets are never replaced: if the attached file is the wrong one, delete it (gh release delete-asset $TAG $name) and re-run this job, otherwise this run did not rebuild the released bytes (docs/release-guide.md#recovering)."
    conflict=1
  fi
done
if [ "$conflict" -ne 0 ]; then exit 1; fi
if [ "${#upload[@]}" -gt 0 ] && ! gh release upload "$TAG" "${upload[@]}"; then
  echo "::error title=GitHub Release::uploading ${upload[*]##*/} to release $TAG failed (gh's message above); a published release that is immutable takes no new assets: publish a new version (docs/release-guide.md#recovering)."
  exit 1
fi
if [ "$state" = draft ]; then gh release edit "$TAG" --draft=false "${pre[@]}"; fi
echo "release $TAG ($state): ${#upload[@]} asset(s) uploaded, $(( ${#assets[@]} - ${#upload[@]} )) already attached" | tee -a "$GITHUB_STEP_SUMMARY"
