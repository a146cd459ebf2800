#!/usr/bin/env bash
# Real-browser check of the sample-suites Allure report (run after `mvn -pl sample-suites -am verify -DskipUnitTests`):
# serves the report on 127.0.0.1, opens it in headless Chromium (playwright-core), asserts the case
# count, that a failed or expected-collapse case shows its message, and that the perplexity chart
# renders. Screenshots go to sample-suites/target/browser-check/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
report="${1:-$root/sample-suites/target/site/allure-maven-plugin}"
results="${2:-$root/sample-suites/target/allure-results}"
shots="$root/sample-suites/target/browser-check"

if [ ! -f "$report/index.html" ]; then
  echo "browser-check: no report at $report (run: mvn -pl sample-suites -am verify -DskipUnitTests)" >&2
  exit 2
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-check: installing Debian chromium" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
# every *-result.json is one test the report must count
expected="$(find "$results" -maxdepth 1 -name '*-result.json' | wc -l)"
mkdir -p "$shots"
REPORT_DIR="$report" EXPECTED_CASES="$expected" SHOTS_DIR="$shots" CHROMIUM="$(command -v chromium)" \
  node "$here/check.mjs"
