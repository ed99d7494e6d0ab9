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

# area | test project | project to mutate | files to mutate (globs, relative to that project)
areas=(
  "policy|tests/SealService.Domain.Tests|SealService.Domain.csproj|**/Policy/**/*.cs"
  "model|tests/SealService.Domain.Tests|SealService.Domain.csproj|**/Model/**/*.cs"
  "merkle|tests/SealService.Ledger.Tests|SealService.Ledger.csproj|**/Merkle/**/*.cs"
  "ledger-verify|tests/SealService.Ledger.Tests|SealService.Ledger.csproj|**/Verification/**/*.cs"
  "pdf-verify|tests/SealService.Pdf.Tests|SealService.Pdf.csproj|**/Verification/**/*.cs"
  "cms-verify|tests/SealService.Keys.Tests|SealService.Keys.csproj|**/Verification/**/*.cs"
)

summary=()
for a in "${areas[@]}"; do
  IFS='|' read -r name tests project globs <<<"$a"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  out="$root/artifacts/mutation/$name"
  rm -rf "$out"; mkdir -p "$root/artifacts/mutation"
  mutate=()
  for g in $globs; do mutate+=(--mutate "$g"); done
  echo "== $name: $project ($globs) against $tests"
  (cd "$tests" && dotnet stryker --project "$project" "${mutate[@]}" \
      --reporter json --reporter html --reporter progress --output "$out" --concurrency "${STRYKER_CONCURRENCY:-2}") \
    | tee "$out.log" | grep -E "mutation score|Killed|Survived|Timeout|NoCoverage" || true
  score=$(grep -oE "The final mutation score is [0-9.]+ %" "$out.log" | grep -oE "[0-9.]+" || echo "?")
  summary+=("$name: $score %")
done

echo
printf '%s\n' "mutation scores ($(date -u +%F)):" "${summary[@]}"
