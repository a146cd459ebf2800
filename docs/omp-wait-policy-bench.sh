#!/usr/bin/env bash
# two concurrent edit jobs (5 ROME edits each, no perplexity) with the given OMP_WAIT_POLICY ("" = unset)
cd "$(dirname "$0")/.."
run() {
  java -Xmx2g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "framework/target/classes:framework/target/lib/*" \
    io.github.editunit.framework.cli.EditUnitCli edit --model bundled --cases models/editunit-tiny/suites/single-edit.json \
    --limit 5 --method rome --no-ppl --json > /dev/null 2>&1
}
policy="$1"
start=$(date +%s.%N)
if [ -z "$policy" ]; then unset OMP_WAIT_POLICY; else export OMP_WAIT_POLICY="$policy"; fi
run & run & wait
echo "policy=${policy:-unset} two concurrent jobs: $(echo "$(date +%s.%N) - $start" | bc) s"
