#@ ci.yml, affected job: the affected wheel projects ($PROJECTS, space-separated) as build legs,
#@ the JSON matrix output `matrix`. Placeholders: PLATFORM_TABLE ([project]=platforms), OS_TABLE,
#@ BUILD_WHEELS (the target name), PLATFORMS (the matrix's platforms). #@ lines are not embedded.
declare -A platforms=(@@PLATFORM_TABLE@@)
declare -A os=(@@OS_TABLE@@)
for project in $PROJECTS; do
  if [ -z "${platforms[$project]+set}" ]; then
    echo "::error title=build legs::$project has a @@BUILD_WHEELS@@ target but this workflow does not know its release platforms; run nx g @quiver/nx-wheels:ci and commit the result."
    exit 1
  fi
done
include=''
for platform in @@PLATFORMS@@; do
  on=''
  for project in $PROJECTS; do
    case " ${platforms[$project]} " in *" $platform "*) on="$on${on:+,}$project" ;; esac
  done
  if [ -n "$on" ]; then
    include="$include${include:+,}{\"platform\":\"$platform\",\"os\":\"${os[$platform]}\",\"projects\":\"$on\"}"
    echo "build-wheels ($platform): $on" >> "$GITHUB_STEP_SUMMARY"
  fi
done
echo "matrix={\"include\":[$include]}" >> "$GITHUB_OUTPUT"
