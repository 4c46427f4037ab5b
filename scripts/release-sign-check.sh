#!/usr/bin/env bash
# A signed snapshot release with a throwaway GPG key, as release.yml signs
# with the real one: goreleaser must leave the SHA256SUMS file exactly as it
# signed it (some goreleaser versions add the .sig to the sums after signing,
# which breaks the registries' verification), and the detached signature must
# verify. Usage: scripts/release-sign-check.sh path/to/goreleaser
set -euo pipefail
goreleaser=${1:?usage: $0 path/to/goreleaser}
cd "$(dirname "$0")/.."
command -v gpg >/dev/null || { echo "release-sign-check: needs gpg (apt-get install gnupg)" >&2; exit 1; }

GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key 'release-check <release-check@example.invalid>' ed25519 sign 1d
GPG_FINGERPRINT=$(gpg --list-keys --with-colons 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
export GPG_FINGERPRINT

log="$GNUPGHOME/goreleaser.log"
"$goreleaser" release --snapshot --clean --skip=publish >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

shopt -s nullglob
sums=(dist/terraform-provider-confluence_*_SHA256SUMS)
[ ${#sums[@]} -eq 1 ] || { echo "release-sign-check: want one SHA256SUMS file in dist/, found ${#sums[@]}" >&2; exit 1; }
[ -f "${sums[0]}.sig" ] || { echo "release-sign-check: ${sums[0]}.sig was not written" >&2; exit 1; }
if ! gpg --batch --verify "${sums[0]}.sig" "${sums[0]}" 2>/dev/null; then
  echo "release-sign-check: ${sums[0]}.sig does not verify: the sums file changed after it was signed" >&2
  grep -n '\.sig$' "${sums[0]}" >&2 || true
  exit 1
fi
echo "release-sign-check: $(basename "${sums[0]}").sig verifies (throwaway key $GPG_FINGERPRINT)"
# The signed release holds the same set of files, with sums that match.
./scripts/release-check.sh dist | tail -1
