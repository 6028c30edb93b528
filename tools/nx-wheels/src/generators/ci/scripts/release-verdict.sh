#@ release-readiness.yml: the checklist and verdict of validate-release --mode=branch
#@ (env: OUTCOME, CODES, VERSION, TAG). Placeholders: TAG_PREFIX, DISTRIBUTION.
has() { case ",$CODES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
tagged=false
if [ -n "$TAG" ] && git rev-parse -q --verify "refs/tags/$TAG" >/dev/null; then tagged=true; fi
item() { if [ "$1" = ok ]; then echo "- ✅ $2"; else echo "- ❌ $2"; fi; }
ok() { if "$@"; then echo ok; else echo failed; fi; }
not() { ! "$@"; }
readable() { [ -n "$VERSION" ]; }
newer() { readable && not has VERSION_NOT_NEWER && not has NO_TAGS_SHALLOW; }
tag_free() { readable && [ "$tagged" = false ]; }
changelog() { not has CHANGELOG_MISSING; }
section() { readable && not has CHANGELOG_MISSING && not has CHANGELOG_NO_SECTION; }
{
  echo "### Release readiness checklist"
  echo
  item "$(ok readable)" "\`[project].version\` is a static PEP 440 version: ${VERSION:-(unreadable)}"
  item "$(ok newer)" "the version is newer than the latest release tag"
  item "$(ok tag_free)" "the tag ${TAG:-@@TAG_PREFIX@@<version>} does not exist yet"
  item "$(ok changelog)" "the changelog exists"
  item "$(ok section)" "the changelog has a section for ${VERSION:-the version}"
  for code in ${CODES//,/ }; do
    case "$code" in
      VERSION_NOT_NEWER | NO_TAGS_SHALLOW | CHANGELOG_MISSING | CHANGELOG_NO_SECTION) ;;
      *) item failed "\`$code\` (see the findings above)" ;;
    esac
  done
  echo
} >> "$GITHUB_STEP_SUMMARY"
if [ "$OUTCOME" = success ] && [ -z "$CODES" ]; then
  echo "Ready: @@DISTRIBUTION@@ $VERSION can be released (tag $TAG after the merge)." | tee -a "$GITHUB_STEP_SUMMARY"
elif [ "$CODES" = VERSION_NOT_NEWER ] && [ "$tagged" = true ]; then
  echo "Not a release: @@DISTRIBUTION@@ $VERSION is already released (tag $TAG) and this change does not bump the version; every other check passed." | tee -a "$GITHUB_STEP_SUMMARY"
else
  if [ -n "$CODES" ]; then why="failed checks: $CODES"; else why="validate-release did not finish (outcome: $OUTCOME)"; fi
  echo "::error title=release readiness::$why; see the findings above and docs/release-guide.md#validate-release"
  echo "Not ready: $why." >> "$GITHUB_STEP_SUMMARY"
  exit 1
fi
