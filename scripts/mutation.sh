#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json) over the code whose bugs matter most:
# the delegation policy and domain model, the Merkle proofs and ledger verification, the PDF signature framing and
# verification, and the CMS verifier. Slow (tens of minutes); CI does not run it. Scores go into docs/testing.md.
#
# Usage: scripts/mutation.sh [area...]   areas: policy model merkle ledger-verify pdf-verify cms-verify (default: all)
# Reports: artifacts/mutation/<area>/reports/mutation-report.{html,json}; a summary line per area at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
scripts/ensure-test-tools.sh

# area | project to mutate | test projects that run against it (space separated) | files to mutate (globs in that project)
areas=(
  "policy|src/SealService.Domain|tests/SealService.Domain.Tests tests/SealService.Storage.Tests|**/Policy/**/*.cs"
  "model|src/SealService.Domain|tests/SealService.Domain.Tests tests/SealService.Storage.Tests|**/Model/**/*.cs"
  "merkle|src/SealService.Ledger|tests/SealService.Ledger.Tests|**/Merkle/**/*.cs"
  "ledger-verify|src/SealService.Ledger|tests/SealService.Ledger.Tests|**/Verification/**/*.cs"
  "pdf-verify|src/SealService.Pdf|tests/SealService.Pdf.Tests|**/Verification/**/*.cs"
  "cms-verify|src/SealService.Keys|tests/SealService.Keys.Tests|**/Verification/**/*.cs"
)

summary=()
for a in "${areas[@]}"; do
  IFS='|' read -r name project tests globs <<<"$a"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  out="$root/artifacts/mutation/$name"
  rm -rf "$out"; mkdir -p "$root/artifacts/mutation"
  args=()
  for g in $globs; do args+=(--mutate "$g"); done
  for t in $tests; do args+=(--test-project "$root/$t/$(basename "$t").csproj"); done
  echo "== $name: $project ($globs) against $tests"
  (cd "$project" && dotnet stryker "${args[@]}" \
      --reporter json --reporter html --reporter progress --output "$out" --concurrency "${STRYKER_CONCURRENCY:-2}") \
    | tee "$out.log" | grep -E "mutation score" || true
  score=$(grep -oE "The final mutation score is [0-9.]+ %" "$out.log" | grep -oE "[0-9.]+" || echo "?")
  summary+=("$name: $score %")
done

echo
printf '%s\n' "mutation scores ($(date -u +%F)):" "${summary[@]}"
