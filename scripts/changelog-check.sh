#!/usr/bin/env bash
# Fails when the commits since BASE change the provider's Go code (non-test
# .go files, go.mod) and add no changie entry under .changes/unreleased/.
# CI runs it on every pull request not labelled no-changelog
# (.github/workflows/changelog.yml); run it locally with the branch you will
# merge into: scripts/changelog-check.sh origin/main
set -euo pipefail
base=${1:?usage: $0 BASE (e.g. origin/main)}
cd "$(dirname "$0")/.."

changed=$(git diff --name-only --diff-filter=ACDMR "$base"...HEAD)
code=$(echo "$changed" | grep -E '(\.go|^go\.mod)$' | grep -vE '_test\.go$' || true)
entries=$(git diff --name-only --diff-filter=A "$base"...HEAD -- '.changes/unreleased/*.yaml')

if [ -z "$code" ]; then
  echo "changelog-check: no Go code changed since $base: no entry needed"
  exit 0
fi
if [ -n "$entries" ]; then
  echo "changelog-check: Go code changed and the change is described in:"
  echo "$entries" | sed 's/^/  /'
  exit 0
fi
echo "changelog-check: these files change the provider, but no .changes/unreleased/*.yaml entry was added:" >&2
echo "$code" | sed 's/^/  /' >&2
echo "Add one with 'changie new' (see contributing/releasing.md), or label the pull request no-changelog" >&2
echo "when users will not notice the change (refactoring, tests, CI)." >&2
exit 1
