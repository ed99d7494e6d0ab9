#!/usr/bin/env bash
# Publishes precompiled (ReadyToRun) builds of the host and of sealctl, so that they start without JIT warm-up:
#   scripts/publish.sh [--only api|sealctl] [--out DIR] [--bin DIR]
# DIR defaults to artifacts/publish (api/ and sealctl/ below it). sealctl is linked into --bin (default ~/.local/bin,
# on the user's PATH on Debian) unless --bin is given as an empty string.
# - sealctl: framework-dependent ReadyToRun (the machine's .NET 10 runtime runs it; ~1 min).
# - host: self-contained with one composite ReadyToRun image of the app and the .NET and ASP.NET Core frameworks, so
#   that the generic code shared between them is precompiled too (~200 MB, ~5 min), with tiered compilation off: the
#   precompiled code is kept instead of being recompiled while the first thousands of requests run (docs/performance.md).
# Re-run after changing the code; it replaces the previous build.
set -euo pipefail
cd "$(dirname "$0")/.."
only="" out="artifacts/publish" bin="$HOME/.local/bin"
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    *) echo "usage: scripts/publish.sh [--only api|sealctl] [--out DIR] [--bin DIR]" >&2; exit 2 ;;
  esac
done
case "$only" in ""|api|sealctl) ;; *) echo "--only takes api or sealctl" >&2; exit 2 ;; esac
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
[ -n "$rid" ] || { echo "could not read the runtime identifier from dotnet --info" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

publish() { # project, folder, extra arguments
  local project=$1 folder=$2; shift 2
  rm -rf "${out:?}/$folder"
  dotnet publish "$project" -c Release -r "$rid" -p:PublishReadyToRun=true -o "$out/$folder" -nologo -v quiet "$@"
}

if [ "$only" != sealctl ]; then
  publish src/SealService.Api api --self-contained true -p:PublishReadyToRunComposite=true -p:TieredCompilation=false
  echo "host: ASPNETCORE_ENVIRONMENT=Development $out/api/SealService.Api"
fi
if [ "$only" != api ]; then
  publish src/SealService.Cli sealctl --self-contained false
  if [ -n "$bin" ]; then
    mkdir -p "$bin"
    ln -sf "$out/sealctl/sealctl" "$bin/sealctl"
    echo "sealctl: $bin/sealctl -> $out/sealctl/sealctl"
    case ":$PATH:" in *":$bin:"*) ;; *) echo "note: $bin is not on PATH here; export PATH=\"$bin:\$PATH\"" ;; esac
  else
    echo "sealctl: $out/sealctl/sealctl"
  fi
fi
