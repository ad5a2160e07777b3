#!/usr/bin/env bash
# The test command of the README (and of CI): builds everything, runs the test suite on the machine's
# best SIMD path, then the numeric tests again with AVX-512, AVX2 and all hardware intrinsics disabled
# (so the Vector256, Vector128 and scalar paths all run), the generator fuzzer, then the packed-package and
# sample checks.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
passed=0; failed=0; logs="$(mktemp -d)"
# The runs on the other SIMD paths load the assemblies the first run compiled from the same generated sources
# (tests/LstmGen.Tests/Infrastructure/CompiledAssemblyCache.cs): the generated C# does not depend on the CPU.
export LSTMGEN_TEST_ASSEMBLY_CACHE="$logs/assemblies"

suite() { # suite NAME PROJECT [ENV=VALUE...] -- FILTER
  local name="$1" project="$2"; shift 2
  local envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  local filter="$1"
  echo "=== $name"
  local started=$SECONDS
  env "${envs[@]}" dotnet test "$project" -c Release --no-build --nologo ${filter:+--filter "$filter"} 2>&1 | tee "$logs/$name.log"
  echo "=== $name took $((SECONDS - started)) s"
  local line; line=$(grep -E "(Passed|Failed)! +- Failed:" "$logs/$name.log" | tail -1)
  if [ -z "$line" ]; then echo "$name: no test summary"; failed=$((failed + 1)); return; fi
  local f p; f=$(echo "$line" | sed -E 's/.*Failed: *([0-9]+).*/\1/'); p=$(echo "$line" | sed -E 's/.*Passed: *([0-9]+).*/\1/')
  passed=$((passed + p)); failed=$((failed + f))
}

check() { # check NAME COMMAND...: a whole-program check counts as one test
  local name="$1"; shift
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then passed=$((passed + 1)); else echo "$name FAILED"; failed=$((failed + 1)); fi
  echo "=== $name took $((SECONDS - started)) s"
}

if ! dotnet build LstmGen.sln -c Release --nologo -v quiet; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
echo "=== build took $SECONDS s"

numeric="FullyQualifiedName~LstmGen.Tests.Numerics|FullyQualifiedName~LstmGen.Tests.Runtime"
tests=tests/LstmGen.Tests
suite all-tests $tests DOTNET_TieredPGO=1 -- ""
# On a CPU without AVX-512 the first run already took the Vector256 path: running it again would only cost time.
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  suite vector256 $tests DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0 DOTNET_PreferredVectorBitWidth=256 -- "$numeric"
else
  echo "=== vector256: skipped, this CPU has no AVX-512 (all-tests ran the Vector256 path)"
fi
suite vector128 $tests DOTNET_EnableAVX2=0 -- "$numeric"
suite scalar $tests DOTNET_EnableHWIntrinsic=0 -- "$numeric"
# 600 seeded mutations of the fixtures through the generator (the full run: tests/LstmGen.Fuzz/README.md).
suite fuzz tests/LstmGen.Fuzz DOTNET_TieredPGO=1 LSTMGEN_FUZZ_ITERATIONS=600 -- ""
check packed-package bash tests/package/run.sh
# The sine-wave sample on the JIT (samples/run-aot.sh without --jit publishes it with NativeAOT).
check sample-sine bash samples/run-aot.sh --jit
# The real-data samples (samples/*/README.md): each is published with NativeAOT (-warnaserror: any trim or AOT
# warning fails), checks its compiled model against the training framework and writes a PNG (checked by its magic
# bytes).
check sample-forecast-aot bash samples/check-sample.sh LstmGen.Forecast co2-forecast.png --aot --steps 100000
check sample-words-aot bash samples/check-sample.sh LstmGen.Words letter-frequencies.png --aot --chars 20000
check sample-anomaly-aot bash samples/check-sample.sh LstmGen.Anomaly elnino-anomalies.png --aot --batches 20

echo
echo "test.sh: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = "0" ]
