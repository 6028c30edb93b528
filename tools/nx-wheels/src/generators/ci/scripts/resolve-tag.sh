#@ release.yml, resolve job (per-project tags): the project $REF releases, and the projects and
#@ platform matrix to build (env: EVENT, REF). Placeholders: bash arrays PROJECTS, PREFIXES,
#@ DISTRIBUTIONS, PLATFORM_LISTS; OS_TABLE, VERSION_RE (quoted ERE), EXAMPLES, PLATFORMS.
# Per project: its name, the text of its tags before the version, its distribution, its release platforms.
projects=@@PROJECTS@@
prefixes=@@PREFIXES@@
distributions=@@DISTRIBUTIONS@@
platforms=@@PLATFORM_LISTS@@
declare -A os=(@@OS_TABLE@@)
version_re=@@VERSION_RE@@
if { [ "$EVENT" = push ] || [ "$EVENT" = workflow_dispatch ]; } && [[ "$REF" == refs/tags/* ]]; then
  tag="${REF#refs/tags/}"
  found=()
  for i in "${!projects[@]}"; do
    prefix="${prefixes[$i]}"
    version="${tag#"$prefix"}"
    if [[ "$tag" == "$prefix"* ]] && [[ "${version,,}" =~ $version_re ]]; then found+=("$i"); fi
  done
  if [ "${#found[@]}" -ne 1 ]; then
    why='names no wheel project'
    if [ "${#found[@]}" -gt 1 ]; then
      why='matches several projects:'
      for i in "${found[@]}"; do why="$why ${projects[$i]}"; done
    fi
    echo "::error title=Release tag::tag $tag $why; a release tag is a project's prefix and its PEP 440 version (@@EXAMPLES@@); push one of those, or run nx g @quiver/nx-wheels:ci if a project is missing here."
    exit 1
  fi
  selected=("${found[0]}")
  echo "project=${projects[${found[0]}]}" >> "$GITHUB_OUTPUT"
  echo "distribution=${distributions[${found[0]}]}" >> "$GITHUB_OUTPUT"
  echo "tag $tag releases ${projects[${found[0]}]} (${distributions[${found[0]}]} ${tag#"${prefixes[${found[0]}]}"})" | tee -a "$GITHUB_STEP_SUMMARY"
else
  selected=("${!projects[@]}")
  echo "project=" >> "$GITHUB_OUTPUT"
  echo "distribution=" >> "$GITHUB_OUTPUT"
  echo "dry run ($EVENT, $REF): every project is built and validated, nothing is released" | tee -a "$GITHUB_STEP_SUMMARY"
fi
names=''
include=''
for i in "${selected[@]}"; do names="$names${names:+,}\"${projects[$i]}\""; done
for platform in @@PLATFORMS@@; do
  for i in "${selected[@]}"; do
    if [[ " ${platforms[$i]} " == *" $platform "* ]]; then
      include="$include${include:+,}{\"platform\":\"$platform\",\"os\":\"${os[$platform]}\"}"
      break
    fi
  done
done
echo "projects=[$names]" >> "$GITHUB_OUTPUT"
echo "matrix={\"include\":[$include]}" >> "$GITHUB_OUTPUT"
