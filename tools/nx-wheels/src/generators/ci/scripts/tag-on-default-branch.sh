#@ release.yml, validate job: the tag's commit must be on the default branch (env: DEFAULT_BRANCH, TAG).
if ! git rev-parse -q --verify "refs/remotes/origin/$DEFAULT_BRANCH" >/dev/null; then
  echo "::error title=Release guard::origin/$DEFAULT_BRANCH is not in the checkout; the validate job's actions/checkout needs fetch-depth: 0."
  exit 1
fi
if ! git merge-base --is-ancestor "$GITHUB_SHA" "origin/$DEFAULT_BRANCH"; then
  echo "::error title=Release guard::tag $TAG points at $GITHUB_SHA, which is not on $DEFAULT_BRANCH; delete the tag (git push --delete origin $TAG) and tag the merged release commit on $DEFAULT_BRANCH (docs/release-guide.md#cutting-a-release)."
  exit 1
fi
echo "tag $TAG: $GITHUB_SHA is on $DEFAULT_BRANCH" | tee -a "$GITHUB_STEP_SUMMARY"
