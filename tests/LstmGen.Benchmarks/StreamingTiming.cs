using System;
using System.Collections.Generic;

namespace LstmGen.Benchmarks;

/// <summary>
/// `-- --stream-timing`: StreamingBenchmarks' Step and Predict timed with the protocol of rtneural/stream_bench.cpp
/// (a quarter second of warm-up, calibration, then 21 runs of about 20 ms, Step and Predict runs alternating; best and median ns per
/// timestep), so that the RTNeural figures and these compare like with like on a busy machine. One line per model
/// and method in the harness's format: engine method kind N best_ns median_ns.
/// </summary>
internal static class StreamingTiming
{
    private const int Runs = 21;

    public static void Run(string? kindFilter = null, int? sizeFilter = null)
    {
        Console.WriteLine("# engine method kind N best_ns median_ns");
        foreach (Cell kind in new[] { Cell.LSTM, Cell.GRU })
        {
            if (kindFilter is not null && !kind.ToString().Equals(kindFilter, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (int n in new[] { 8, 16, 32, 64, 128 })
            {
                if (sizeFilter is not null && n != sizeFilter) continue;
                var bench = new StreamingBenchmarks { Kind = kind, N = n };
                bench.Setup();
                TimedRuns.Warm(bench.Step);
                TimedRuns.Warm(bench.Predict);
                int stepCalls = TimedRuns.Calibrate(bench.Step), predictCalls = TimedRuns.Calibrate(bench.Predict);
                var step = new List<double>();
                var predict = new List<double>();
                for (int r = 0; r < Runs; r++)
                {
                    step.Add(Time(bench.Step, stepCalls));
                    predict.Add(Time(bench.Predict, predictCalls));
                }
                Print("step", kind, n, step);
                Print("predict", kind, n, predict);
            }
        }
    }

    /// <summary>Nanoseconds per timestep over one run.</summary>
    private static double Time(Action action, int calls) => TimedRuns.NanosecondsPerCall(action, calls) / StreamingBenchmarks.Timesteps;

    private static void Print(string method, Cell kind, int n, List<double> ns)
    {
        ns.Sort();
        Console.WriteLine($"lstmgen {method} {kind} {n} {ns[0]:F2} {ns[ns.Count / 2]:F2}");
    }
}
