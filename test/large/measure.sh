#!/usr/bin/env bash
# Measures `mcpgen generate` (type-check included) on one corpus spec: wall time and peak RSS.
# Usage: test/large/measure.sh <corpus-file.json.gz> [extra generate flags…]
#   e.g. test/large/measure.sh ../shared/corpus/large/microsoft.com__graph.json.gz
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 <spec.json.gz> [generate flags…]" >&2
  exit 64
fi
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPEC_GZ="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time (GNU time) is required" >&2
  exit 69
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcpgen-measure-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
NAME="$(basename "$SPEC_GZ" .json.gz)"
gunzip -c "$SPEC_GZ" > "$WORK/spec.json"
cat > "$WORK/mcpgen.config.json" <<JSON
{ "servers": [ { "name": "measured", "spec": "spec.json", "output": "out" } ] }
JSON
echo "spec:   $NAME ($(wc -c < "$WORK/spec.json") bytes uncompressed)"
set +e
( cd "$WORK" && /usr/bin/time -v -o "$WORK/time.txt" node "$REPO/bin/mcpgen.js" generate --json "$@" > "$WORK/report.json" 2> "$WORK/stderr.txt" )
STATUS=$?
set -e
WALL="$(grep 'Elapsed (wall clock) time' "$WORK/time.txt" | sed 's/.*): //')"
RSS_KB="$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')"
echo "exit:   $STATUS"
echo "wall:   $WALL (h:mm:ss or m:ss)"
echo "rss:    $((RSS_KB / 1024)) MiB peak ($RSS_KB KiB)"
node -e '
  const fs = require("fs");
  let r; try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("report: (no JSON on stdout)"); process.exit(0); }
  const by = {};
  for (const d of r.diagnostics ?? []) by[`${d.severity} ${d.code}`] = (by[`${d.severity} ${d.code}`] ?? 0) + 1;
  console.log(`ok:     ${r.ok}`);
  for (const s of r.servers ?? []) console.log(`tools:  ${s.tools} in ${s.files} files`);
  for (const [k, n] of Object.entries(by).sort()) console.log(`diag:   ${n} × ${k}`);
' "$WORK/report.json"
if [ "$STATUS" -ne 0 ]; then
  echo "--- stderr (tail) ---"
  tail -n 20 "$WORK/stderr.txt"
fi
exit "$STATUS"
