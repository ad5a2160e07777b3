"""Issue 17's streaming table from alternating rounds: each round is one build_and_run.sh output (RTNeural, four
builds) and the `--stream-timing` output of LstmGen.Benchmarks run right after it (same protocol: best of 21 runs
of about 20 ms). Within a round, RTNeural's figure is its fastest build; the ratios are computed within the round,
then the median over rounds is printed (times too; the ratio's range over rounds in brackets), as a Markdown
table. The build column names the build that was fastest in most rounds, and in how many.

    python3 tests/LstmGen.Benchmarks/rtneural/compare.py A1.txt T1.txt A2.txt T2.txt ...
"""
import statistics
import sys
from collections import Counter


def rtneural(path):
    """(kind, n) -> (best ns over builds, build name)."""
    best = {}
    for line in open(path):
        p = line.split()
        if len(p) == 7 and p[0] in ("eigen", "xsimd"):
            key, ns, build = (p[2], int(p[3])), float(p[4]), f"{p[0]} {p[1]}"
            if key not in best or ns < best[key][0]:
                best[key] = (ns, build)
    return best


def lstmgen(path):
    """(method, kind, n) -> best ns."""
    out = {}
    for line in open(path):
        p = line.split()
        if len(p) == 6 and p[0] == "lstmgen":
            out[(p[1], p[2], int(p[3]))] = float(p[4])
    return out


def main(paths):
    if len(paths) < 2 or len(paths) % 2:
        sys.exit(__doc__)
    rounds = [(rtneural(a), lstmgen(t)) for a, t in zip(paths[0::2], paths[1::2])]
    keys = [k for k in rounds[0][0]]
    print(f"{len(rounds)} rounds; medians over rounds of best-of-21-runs ns per timestep; ratios within each round")
    print()
    print("| model | RTNeural, fastest build | that build, most often | LstmGen `Step` | LstmGen `Predict` | `Step` vs RTNeural | `Step` / `Predict` |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for kind, n in keys:
        rt = [r[(kind, n)][0] for r, _ in rounds]
        builds = Counter(r[(kind, n)][1] for r, _ in rounds)
        step = [g[("step", kind, n)] for _, g in rounds]
        predict = [g[("predict", kind, n)] for _, g in rounds]
        speedup = [a / s for a, s in zip(rt, step)]
        step_predict = [s / p for s, p in zip(step, predict)]
        build, count = builds.most_common(1)[0]
        which = f"{build} ({count} of {len(rounds)})"
        print(f"| {kind}({n}) | {statistics.median(rt):,.0f} ns | {which} | {statistics.median(step):,.0f} ns | "
              f"{statistics.median(predict):,.0f} ns | {statistics.median(speedup):.2f}× "
              f"({min(speedup):.2f}–{max(speedup):.2f}) | {statistics.median(step_predict):.2f}× |")


if __name__ == "__main__":
    main(sys.argv[1:])
