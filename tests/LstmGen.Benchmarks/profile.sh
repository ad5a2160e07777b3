#!/usr/bin/env bash
# Where a benchmark shape's time goes, per method, from Linux perf's samples (software clock, so it works in VMs
# without hardware counters): runs `--profile SHAPE` for a few seconds under `perf record` and prints the share of
# samples in each method. The runtime writes a perf map of its JIT-compiled code (DOTNET_PerfMapEnabled); W^X is
# turned off so the samples land on the code's real addresses.
#     bash tests/LstmGen.Benchmarks/profile.sh M [seconds]
set -euo pipefail
shape="${1:?shape: S, M, L or W}"; seconds="${2:-5}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
dotnet build "$here" -c Release --nologo -v quiet >/dev/null
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  perf record -q -e cpu-clock -F 4999 -o "$out/perf.data" \
  dotnet "$here/bin/Release/net10.0/LstmGen.Benchmarks.dll" --profile "$shape" "$seconds"
perf report -i "$out/perf.data" --stdio --sort symbol 2>/dev/null \
  | grep -v '^#' | grep -v '^$' \
  | sed -E 's/<[^>]*>F[0-9A-F]+__//; s/\(valuetype.*|\(float32.*|\(native.*//; s/\[\.\] (void|float32|bool|valuetype [^ ]+) \[[^]]*\] /[.] /' \
  | head -"${TOP:-15}"
rm -rf "$out"
