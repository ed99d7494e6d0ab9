#!/usr/bin/env bash
# Applies, one at a time, the hand-made bugs of docs/testing.md ("Known mutants") to a scratch copy
# of HEAD and runs the test project that must catch each. Every mutant must make its tests fail;
# the script exits 1 if any survives. Usage: scripts/known-mutants.sh [name...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
git -C "$root" worktree add --detach "$scratch/tree" HEAD >/dev/null

# Each mutant: name, file, the test project that must catch it; the edit is in mutate() below.
mutants=(
  "mode-steps src/SealService.Domain/Policy/DelegationPolicy.cs tests/SealService.Domain.Tests"
  "hash-upload src/SealService.Domain/Stamping/RequestHash.cs tests/SealService.Api.Tests"
  "commit-allocated src/SealService.Storage.Relational/RelationalStampingStore.cs tests/SealService.Storage.Tests"
  "consistency-old-root src/SealService.Ledger/Merkle/MerkleProofVerifier.cs tests/SealService.Ledger.Tests"
  "jwks-audience src/SealService.Api/Auth/AuthSetup.cs tests/SealService.Api.Tests"
  "idempotency-hold src/SealService.Domain/Stamping/StampingService.cs tests/SealService.Api.Tests"
)

mutate() {
  case "$1" in
    mode-steps) perl -0pi -e 's/!StepsAllowedByMode\(item\.Mode\)\.Contains\(step\) \|\| //' "$2" ;;
    hash-upload) perl -0pi -e 's/w\.WriteString\("uploadSha256", uploadSha256\);/w.WriteString("uploadSha256", (string?)null);/' "$2" ;;
    commit-allocated) perl -0pi -e 's/if \(open == 0\)/if (open < 0)/' "$2" ;;
    consistency-old-root) perl -0pi -e 's/&& CryptographicOperations\.FixedTimeEquals\(fr, firstRoot\)//' "$2" ;;
    idempotency-hold) perl -0pi -e 's/\n\s*await using var shared = await store\.HoldIdempotencyKeyAsync\(idempotencyKey, ct\);[^\n]*//' "$2" ;;
    jwks-audience) perl -0pi -e 's/(parameters\.ValidAudience = options\.Audience;)/$1 parameters.ValidateAudience = false;/' "$2" ;;
  esac
}

survived=()
for m in "${mutants[@]}"; do
  read -r name file project <<<"$m"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  git -C "$scratch/tree" checkout -q -- .
  before=$(sha256sum "$scratch/tree/$file")
  mutate "$name" "$scratch/tree/$file"
  if [ "$before" = "$(sha256sum "$scratch/tree/$file")" ]; then
    echo "mutant $name: the substitution no longer matches $file; update this script" >&2
    exit 2
  fi
  echo "== mutant $name ($file) against $project"
  if dotnet test "$scratch/tree/$project" -c Release --nologo -v q >"$scratch/$name.log" 2>&1; then
    echo "   SURVIVED: $project passed with the bug in place"
    survived+=("$name")
  else
    echo "   killed: $(grep -E '^(Failed|Passed)!' "$scratch/$name.log" | tail -1)"
  fi
done

if [ ${#survived[@]} -gt 0 ]; then
  echo "surviving mutants: ${survived[*]}" >&2
  exit 1
fi
echo "every known mutant was killed"
