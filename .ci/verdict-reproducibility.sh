#!/usr/bin/env bash
# Runs the sample suites N times (default 3) on the bundled model and diffs what the Allure
# results say: every test's status and failure message, every step's text (metrics such as
# "ES 1.00 PS 1.00 NS 0.60, perplexity 6.93 → 6.93") and every diagnostics attachment, with
# wall-clock times removed. Prints a summary; exits non-zero when any run differs from the first.
# Usage: .ci/verdict-reproducibility.sh [RUNS]   (docs/reproducibility.md has a recorded run)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPT_OUT_TRACKING=true
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dai.djl.offline=true -DOPT_OUT_TRACKING=true"
out="$(mktemp -d)"
mvn -q -B -ntp install -DskipTests -pl sample-suites -am >&2
for i in $(seq 1 "$runs"); do
  echo "[reproducibility] run $i/$runs: mvn -pl sample-suites verify" >&2
  start=$(date +%s)
  mvn -q -B -ntp -pl sample-suites verify >"$out/mvn-$i.log" 2>&1 || { tail -50 "$out/mvn-$i.log" >&2; exit 1; }
  echo "[reproducibility] run $i took $(( $(date +%s) - start ))s" >&2
  cp -r sample-suites/target/allure-results "$out/run-$i"
done
python3 - "$out" "$runs" <<'EOF'
import json, os, re, sys
base, runs = sys.argv[1], int(sys.argv[2])
TIME = re.compile(r"\s*\(\d+(\.\d+)?s\)|\b\d+(\.\d+)? ?s elapsed")
VOLATILE = {"editSeconds", "evalSeconds", "seconds", "secondsPerEdit", "batchSeconds", "start", "stop"}

def scrub(v):
    if isinstance(v, dict):
        return {k: scrub(x) for k, x in sorted(v.items()) if k not in VOLATILE}
    if isinstance(v, list):
        return [scrub(x) for x in v]
    if isinstance(v, str):
        return TIME.sub("", v)
    return v

def steps(ss):
    return [(TIME.sub("", s["name"]), s.get("status"), steps(s.get("steps", []))) for s in ss]

def load(d):
    tests = {}
    for f in os.listdir(d):
        if not f.endswith("-result.json"):
            continue
        r = json.load(open(os.path.join(d, f)))
        key = r.get("fullName") or r["name"]
        atts = []
        for a in r.get("attachments", []) + [a for s in r.get("steps", []) for a in s.get("attachments", [])]:
            p = os.path.join(d, a["source"])
            if a["source"].endswith(".json") and os.path.exists(p):
                try:
                    atts.append((a["name"], scrub(json.load(open(p)))))
                except ValueError:
                    atts.append((a["name"], open(p).read()))
        msg = (r.get("statusDetails") or {}).get("message")
        tests[key + " | " + r["name"]] = (r["status"], TIME.sub("", msg) if msg else None, steps(r.get("steps", [])), atts)
    return tests

first = load(os.path.join(base, "run-1"))
status = {}
for v in first.values():
    status[v[0]] = status.get(v[0], 0) + 1
print(f"run 1: {len(first)} test results, statuses {dict(sorted(status.items()))}, "
      f"{sum(len(v[3]) for v in first.values())} diagnostics attachments")
bad = 0
for i in range(2, runs + 1):
    other = load(os.path.join(base, f"run-{i}"))
    diff = sorted(k for k in set(first) | set(other) if first.get(k) != other.get(k))
    print(f"run {i} vs run 1: {len(other)} results, {len(diff)} differ")
    for k in diff[:20]:
        print("  DIFF", k, "\n    run 1:", str(first.get(k))[:400], f"\n    run {i}:", str(other.get(k))[:400])
    bad += len(diff)
print("IDENTICAL" if bad == 0 else f"DIFFERENT ({bad})")
sys.exit(1 if bad else 0)
EOF
