"""Summarises a BenchmarkDotNet EventPipeProfiler trace (*.speedscope.json, from `--profiler EP`): the share of
sampled time spent in each method itself (self time) and in each method including its callees (total time),
over all threads, so the performance notes can say where a benchmark's time goes.
    python3 tests/LstmGen.Benchmarks/profile_summary.py BenchmarkDotNet.Artifacts/*Tutorial*.speedscope.json [top]
"""
import collections
import json
import re
import sys

# EventPipe's pseudo-frames for "on CPU" / "in native code": self time goes to the managed frame above them.
PSEUDO = {"CPU_TIME", "UNMANAGED_CODE_TIME"}


def short(name):
    # Generated file-local classes carry a long hash: <..._g>F1234...__ModelSModel.Layer1Step -> ModelSModel.Layer1Step
    return re.sub(r"<[^>]*>F[0-9A-F]+__", "", name)


def summarise(path, top):
    data = json.load(open(path))
    names = [short(f["name"]) for f in data["shared"]["frames"]]
    pseudo = {i for i, n in enumerate(names) if n in PSEUDO}

    def leaf(stack):
        for frame in reversed(stack):
            if frame not in pseudo:
                return frame
        return stack[-1]
    self_time = collections.Counter()
    total_time = collections.Counter()
    overall = 0.0
    for profile in data["profiles"]:
        if profile.get("type") == "sampled":
            weights = profile.get("weights") or [1] * len(profile["samples"])
            for stack, weight in zip(profile["samples"], weights):
                if not stack:
                    continue
                overall += weight
                self_time[leaf(stack)] += weight
                for frame in set(stack):
                    total_time[frame] += weight
            continue
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None:
                span = at - last
                overall += span
                self_time[leaf(stack)] += span
                for frame in set(stack):
                    total_time[frame] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"{path}: {overall:.1f} units of sampled time")
    print("self %   total %   method")
    for frame, t in self_time.most_common(top):
        print(f"{100 * t / overall:6.1f}   {100 * total_time[frame] / overall:7.1f}   {names[frame][:150]}")


if __name__ == "__main__":
    summarise(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)
