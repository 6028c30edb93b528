#@ ci.yml, ci-result job: the verdict on every job's result (env: WHEELS and one <JOB_ID> per job).
#@ Placeholders: RESULT (this job's name) and the other jobs' display names (CI_JOBS).
failed=0
row() { echo "| $1 | $2 | $3 |" >> "$GITHUB_STEP_SUMMARY"; }
# expect <job name> <its result> <the result it must have> <why>
expect() {
  if [ "$2" = "$3" ]; then
    row "$1" "$2" ok
  else
    row "$1" "$2" "should be $3$4"
    echo "::error title=@@RESULT@@::$1 is $2, but it should be $3$4."
    failed=1
  fi
}
{ echo "### @@RESULT@@"; echo; echo "| job | result | verdict |"; echo "|---|---|---|"; } >> "$GITHUB_STEP_SUMMARY"
expect "@@AFFECTED@@" "$AFFECTED" success ""
expect "@@CHECKS@@" "$CHECKS" success ""
expect "@@E2E@@" "$E2E" success ""
case "$WHEELS" in
  true)
    expect "@@BUILD_WHEELS@@" "$BUILD_WHEELS" success " (a wheel project is affected)"
    expect "@@MERGE_WHEELS@@" "$MERGE_WHEELS" success " (a wheel project is affected)"
    ;;
  false)
    expect "@@BUILD_WHEELS@@" "$BUILD_WHEELS" skipped " (no wheel project is affected)"
    expect "@@MERGE_WHEELS@@" "$MERGE_WHEELS" skipped " (no wheel project is affected)"
    ;;
  *)
    row "@@BUILD_WHEELS@@" "$BUILD_WHEELS" "unknown: no verdict from @@AFFECTED@@"
    echo "::error title=@@RESULT@@::@@AFFECTED@@ gave no wheels verdict (output '$WHEELS'), so whether build-wheels had to run is unknown; see that job."
    failed=1
    ;;
esac
exit "$failed"
