#!/usr/bin/env bash
# Issue 17's streaming baseline: builds stream_bench.cpp against an RTNeural checkout in four ways (backend Eigen
# or xsimd, each with -O3 -march=native and with -O3 -mavx2 -mfma), runs each on the streaming models and prints
# a table: ns per timestep for every build, and the best build per model. RTNeural is not a dependency of the
# repository: pass the checkouts on the command line.
#
#   tests/LstmGen.Benchmarks/rtneural/build_and_run.sh RTNEURAL_DIR XSIMD_DIR [BUILD_DIR] [--no-build]
#
# RTNEURAL_DIR is the RTNeural source tree (its modules/Eigen and modules/json are used); XSIMD_DIR the xsimd tree
# of RTNeural's modules/xsimd submodule commit (its include/ is used). BUILD_DIR defaults to /tmp/rtneural-stream.
# --no-build reuses the binaries already in BUILD_DIR. CXX (default g++-12) and NICE (default "nice -n 10") may be
# overridden; builds run one at a time.
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,13p' "$0"
    exit 2
fi
RTNEURAL=$(cd "$1" && pwd)
XSIMD=$(cd "$2" && pwd)
BUILD=${3:-/tmp/rtneural-stream}
[ "${3:-}" = "--no-build" ] && BUILD=/tmp/rtneural-stream
NO_BUILD=0
for a in "$@"; do [ "$a" = "--no-build" ] && NO_BUILD=1; done
CXX=${CXX:-g++-12}
NICE=${NICE:-nice -n 10}
HERE=$(cd "$(dirname "$0")" && pwd)
MODELS="$HERE/../Models/Streaming"
mkdir -p "$BUILD"

# NDEBUG: as a CMake Release build; without it Eigen checks every index. EIGEN_STACK_ALLOCATION_LIMIT=0: Eigen
# refuses fixed-size matrices over 128 KB (the LSTM(64) weights are 132 KB); the model is allocated on the heap.
# RTNEURAL_DEFAULT_ALIGNMENT=32: what RTNeural's CMake sets with RTNEURAL_USE_AVX.
COMMON=(-std=c++17 -O3 -DNDEBUG -DRTNEURAL_DEFAULT_ALIGNMENT=32 -DEIGEN_STACK_ALLOCATION_LIMIT=0 -I"$RTNEURAL")
declare -A BACKEND_FLAGS=(
    [eigen]="-DRTNEURAL_USE_EIGEN=1 -I$RTNEURAL/modules/Eigen"
    [xsimd]="-DRTNEURAL_USE_XSIMD=1 -I$XSIMD/include"
)
declare -A ARCH_FLAGS=(
    [native]="-march=native"
    [avx2]="-mavx2 -mfma"
)
BUILDS=(eigen-native eigen-avx2 xsimd-native xsimd-avx2)

if [ $NO_BUILD = 0 ]; then
    echo "# $($CXX --version | head -1)"
    for b in "${BUILDS[@]}"; do
        backend=${b%-*}; arch=${b#*-}
        echo "# building $b: $CXX ${COMMON[*]} ${BACKEND_FLAGS[$backend]} ${ARCH_FLAGS[$arch]}" >&2
        # shellcheck disable=SC2086
        $NICE "$CXX" "${COMMON[@]}" ${BACKEND_FLAGS[$backend]} ${ARCH_FLAGS[$arch]} -DBENCH_FLAGS="\"$arch\"" \
            "$HERE/stream_bench.cpp" -o "$BUILD/$b"
    done
fi

RESULTS="$BUILD/results.txt"
: > "$RESULTS"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# backend flags kind N best_ns median_ns max_abs_diff_vs_reference"
for b in "${BUILDS[@]}"; do
    "$BUILD/$b" "$MODELS" | tee -a "$RESULTS"
done

echo
echo "# best build per model (lowest best-of-runs ns per timestep)"
printf '%-5s %4s %10s %10s %10s %10s   %s\n' kind N eigen-nat eigen-avx2 xsimd-nat xsimd-avx2 best
awk '
{ key = $3 " " $4; t[key, $1 "-" $2] = $5; if (!(key in best) || $5 < best[key]) { best[key] = $5; which[key] = $1 "-" $2 }; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
END { for (i = 1; i <= n; i++) { k = order[i]; split(k, p, " ");
  printf "%-5s %4s %10s %10s %10s %10s   %s %s ns\n", p[1], p[2], t[k, "eigen-native"], t[k, "eigen-avx2"], t[k, "xsimd-native"], t[k, "xsimd-avx2"], which[k], best[k] } }
' "$RESULTS"
