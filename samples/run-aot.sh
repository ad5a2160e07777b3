#!/usr/bin/env bash
# Publishes the sample with NativeAOT and runs the native binary (test.sh's "sample-aot" check).
# Passes when the publish succeeds without warnings, the binary's results match PyTorch's (exit code 0)
# and Predict allocates nothing.
# Usage: samples/run-aot.sh [--jit] [work-dir]
#   --jit: build and run it on the JIT instead (test.sh: the main demo, samples/LstmGen.Forecast, is the one it
#          publishes with NativeAOT; a second publish would cost minutes on 2 cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jit=false
if [ "${1:-}" = "--jit" ]; then jit=true; shift; fi
work="${1:-$(mktemp -d)}"
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "run-aot.sh: no NativeAOT runtime identifier for $(uname -m)"; exit 1 ;;
esac

if $jit; then
  echo "== build (JIT)"
  dotnet build "$root/samples/LstmGen.Sample" -c Release -o "$work/jit" -nologo -v quiet -warnaserror
  run=(dotnet "$work/jit/LstmGen.Sample.dll")
else
  echo "== publish ($rid, NativeAOT)"
  started=$(date +%s)
  # The command the README documents; -warnaserror turns any trim/AOT warning into a failure.
  dotnet publish "$root/samples/LstmGen.Sample" -c Release -r "$rid" -p:PublishAot=true -o "$work/publish" -nologo -v quiet -warnaserror
  binary="$work/publish/LstmGen.Sample"
  echo "published in $(( $(date +%s) - started )) s: $(stat -c %s "$binary") bytes"
  run=("$binary")
fi

echo "== run"
# Fewer timed calls than the demo's default: this checks results and allocations, not speed.
output="$("${run[@]}" --calls 100000)" || { echo "$output"; echo "the sample failed"; exit 1; }
echo "$output"
grep -q "(tolerance 1E-4): OK" <<< "$output" || { echo "no passing PyTorch check in the output"; exit 1; }
allocations=$(grep -c " 0 bytes allocated" <<< "$output" || true)
if [ "$allocations" != "2" ]; then echo "Predict allocated (expected two '0 bytes allocated' lines)"; exit 1; fi
echo "sample: OK"
