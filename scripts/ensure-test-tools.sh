#!/usr/bin/env bash
# Installs the Debian packages the tests use as external judges, if missing: qpdf, poppler
# (pdfsig, pdftotext, pdftoppm, pdffonts, pdfinfo), NSS tools (certutil), openssl (CMS cross-check), and Debian's
# Chromium with a CJK font for the browser tests of the public verification page (Playwright drives /usr/bin/chromium),
# SoftHSM2, the PKCS#11 token the HSM tests keep their seal keys in, and PostgreSQL and Redis, which the multi-node tests
# start as their own processes on free loopback ports (the packages' own services are not used).
set -euo pipefail
need=(qpdf poppler-utils libnss3-tools openssl chromium fonts-wqy-microhei softhsm2 postgresql redis-server)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing test tools: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
