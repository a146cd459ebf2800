#!/usr/bin/env bash
# The README quick-start project's `mvn -o test` (3 cases x rome, c-rome = 24 checks), run as two concurrent
# CI jobs on this machine, with OMP_WAIT_POLICY unset and with PASSIVE, back to back in one run.
# Needs the artifacts installed (`mvn install -DskipTests`). Prints the wall time of each pair.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for p in a b; do
  mkdir -p "$work/$p"
  python3 - "$root/README.md" "$work/$p" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("## Use EditUnit in your project")
end = text.find("\n## ", start + 5)
section = text[start:end if end > 0 else len(text)]
for m in re.finditer(r"^File `([^`]+)`[^`]*?:\s*\n+```[a-z]*\n(.*?)\n```", section, re.M | re.S):
    path = os.path.join(sys.argv[2], m.group(1))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write(m.group(2) + "\n")
PY
done
pair() {
  local policy="$1" start
  (cd "$work/a" && mvn -q -B -ntp -o -nsu test > "$work/a.log" 2>&1) &
  (cd "$work/b" && mvn -q -B -ntp -o -nsu test > "$work/b.log" 2>&1) &
  start=$(date +%s.%N)
  wait
  printf 'OMP_WAIT_POLICY=%-8s two concurrent quick-start suites: %.1f s\n' "${policy:-unset}" "$(echo "$(date +%s.%N) - $start" | bc)"
}
# warm-up (compiles both projects, fills the OS cache), not measured
(export OMP_WAIT_POLICY=PASSIVE; pair PASSIVE) > /dev/null
(unset OMP_WAIT_POLICY; pair "")
(export OMP_WAIT_POLICY=PASSIVE; pair PASSIVE)
