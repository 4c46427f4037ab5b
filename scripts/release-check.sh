#!/usr/bin/env bash
# Checks what goreleaser left in dist/ (make release-check runs it after a
# snapshot release) against what the Terraform and OpenTofu registries read:
#   - one zip per OS/arch, named NAME_VERSION_OS_ARCH.zip, holding exactly the
#     binary NAME_vVERSION (.exe on Windows) and nothing else;
#   - NAME_VERSION_SHA256SUMS listing every zip and NAME_VERSION_manifest.json,
#     and nothing else, with sums that match (sha256sum -c);
#   - the manifest's sum is that of terraform-registry-manifest.json;
#   - the linux/amd64 binary (when this machine is one) reports VERSION.
# Then it prints the archives and the sums file.
set -euo pipefail

dist=${1:-dist}
name=terraform-provider-confluence
root=$(cd "$(dirname "$0")/.." && pwd)

fail() { echo "release-check: $*" >&2; exit 1; }
command -v unzip >/dev/null || fail "needs unzip (apt-get install unzip)"
command -v sha256sum >/dev/null || fail "needs sha256sum (coreutils)"
[ -d "$dist" ] || fail "no $dist/: run goreleaser release --snapshot --clean --skip=sign,publish first"

shopt -s nullglob
sums_files=("$dist"/"${name}"_*_SHA256SUMS)
[ ${#sums_files[@]} -eq 1 ] || fail "want exactly one ${name}_VERSION_SHA256SUMS in $dist/, found ${#sums_files[@]}"
sums=${sums_files[0]}
version=$(basename "$sums")
version=${version#"${name}_"}
version=${version%_SHA256SUMS}
manifest=${name}_${version}_manifest.json

zips=("$dist"/*.zip)
[ ${#zips[@]} -gt 0 ] || fail "no zip in $dist/"

# Every zip holds exactly the provider binary.
for zip in "${zips[@]}"; do
  base=$(basename "$zip" .zip)
  platform=${base#"${name}_${version}_"}
  [ "$platform" != "$base" ] || fail "$zip is not named ${name}_${version}_OS_ARCH.zip"
  os=${platform%%_*}
  want=${name}_v${version}
  [ "$os" = windows ] && want=$want.exe
  got=$(unzip -Z1 "$zip")
  [ "$got" = "$want" ] || fail "$zip holds [$(echo "$got" | tr '\n' ' ')], want only $want"
done

# The sums file lists every zip plus the manifest, nothing more, and they match.
listed=$(awk '{print $2}' "$sums" | sed 's/^\*//' | sort)
expected=$( { for zip in "${zips[@]}"; do basename "$zip"; done; echo "$manifest"; } | sort)
if [ "$listed" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$listed") >&2 || true
  fail "$sums does not list exactly the zips and $manifest (< expected, > listed)"
fi
# goreleaser sums the manifest from the repository and uploads it under its
# release name (release.extra_files), without copying it into dist/: check
# the sums where the release will have them, zips and renamed manifest side by side.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/release"
cp "$sums" "$tmp/release/"
for zip in "${zips[@]}"; do ln -s "$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")" "$tmp/release/"; done
cp "$root/terraform-registry-manifest.json" "$tmp/release/$manifest"
(cd "$tmp/release" && sha256sum --quiet -c "$(basename "$sums")") || fail "sums in $sums do not match"

# The release binary reports the version it was built as.
if [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ]; then
  unzip -q "$dist/${name}_${version}_linux_amd64.zip" -d "$tmp"
  reported=$("$tmp/${name}_v${version}" -version)
  case "$reported" in
    "$name $version "* | "$name $version") ;;
    *) fail "the linux/amd64 binary reports '$reported', want version $version" ;;
  esac
  echo "linux/amd64 binary: $reported"
fi

echo
echo "archives (${#zips[@]}), each holding only ${name}_v${version}[.exe]:"
for zip in "${zips[@]}"; do
  printf '  %-70s %10s bytes\n' "$(basename "$zip")" "$(wc -c <"$zip" | tr -d ' ')"
done
echo
echo "$(basename "$sums"):"
sed 's/^/  /' "$sums"
echo
echo "release-check: ${#zips[@]} archives and the manifest, all listed in $(basename "$sums") with matching sums"
