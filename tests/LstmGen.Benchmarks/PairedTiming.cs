using System;
using System.Collections.Generic;
using System.Globalization;

namespace LstmGen.Benchmarks;

/// <summary>
/// `-- --paired [S|M|L|W|cores]`: LstmGen against ONNX Runtime on a shared, busy host, where BenchmarkDotNet's rows of
/// the two engines are measured minutes apart and the load of other machines moves them differently. The same
/// benchmark methods (ModelBenchmarks and BatchBenchmarks, set up and checked against PyTorch as there) run in
/// pairs of runs of about 20 ms, the two engines back to back, the order alternating per pair; each pair gives one
/// ratio under the same load. Prints a Markdown table: best and median time per sequence of each engine, and the
/// median and range of the pairs' ratios. `cores`: the two-core paths (TeamBenchmarks, MultiCoreBatchBenchmarks)
/// against their own one-core time.
/// </summary>
internal static class PairedTiming
{
    private const int Pairs = 21;

    public static void Run(string? filter)
    {
        Console.WriteLine($"{Pairs} pairs of runs of about {TimedRuns.RunSeconds * 1000:F0} ms per row, the two back to back, order alternating; "
            + "times per sequence: best / median; ratio = the other's time / LstmGen's, median of the pairs (range)");
        Console.WriteLine();
        Console.WriteLine("| what | LstmGen | against | LstmGen faster by |");
        Console.WriteLine("|---|---:|---:|---:|");
        if (filter is not null && filter.Equals("cores", StringComparison.OrdinalIgnoreCase))
        {
            Cores();
            return;
        }
        foreach (Shape shape in Enum.GetValues<Shape>())
        {
            if (filter is not null && !shape.ToString().Equals(filter, StringComparison.OrdinalIgnoreCase)) continue;
            var single = new ModelBenchmarks { Shape = shape };
            single.Setup();
            Row($"{shape} `Predict` vs ORT", single.Generated, single.OnnxRuntime, 1);
            single.Cleanup();
            var batch = new BatchBenchmarks { Shape = shape };
            batch.Setup();
            Row($"{shape} `PredictBatch({BatchBenchmarks.Batch})` vs ORT batch {BatchBenchmarks.Batch}", batch.PredictBatch, batch.OnnxRuntime, BatchBenchmarks.Batch);
            batch.Cleanup();
        }
    }

    /// <summary>
    /// `--paired cores`: the two-core paths against their own one-core time. Not against ONNX Runtime's two threads:
    /// its intra-op workers spin for a while after each run, on the core the next run's helper thread needs (paired
    /// that way on a Zen 3, LSTM(512)'s team took 1.5 to 1.65 times as long as in pairs with its one-core call), so
    /// that comparison stays with BenchmarkDotNet, which runs each engine in a process of its own.
    /// </summary>
    private static void Cores()
    {
        foreach (string model in new[] { "LSTM(512) T=100", "GRU(512) T=100", "W" })
        {
            var team = new TeamBenchmarks { Model = model };
            team.Setup();
            Row($"{model} `Predict` with a CoreTeam vs one core", team.WithTeam, team.Predict, 1);
            team.Cleanup();
        }
        foreach (Shape shape in new[] { Shape.L, Shape.W })
        {
            var batch = new MultiCoreBatchBenchmarks { Shape = shape };
            batch.Setup();
            Row($"{shape} `PredictBatch({MultiCoreBatchBenchmarks.Batch})` on both cores vs one core", batch.AllCores, batch.OneCore, MultiCoreBatchBenchmarks.Batch);
            batch.Cleanup();
        }
    }

    private static void Row(string name, Action lstmGen, Action other, int sequences)
    {
        TimedRuns.Warm(lstmGen);
        TimedRuns.Warm(other);
        int ours = TimedRuns.Calibrate(lstmGen), theirs = TimedRuns.Calibrate(other);
        var ourTimes = new List<double>();
        var theirTimes = new List<double>();
        var ratios = new List<double>();
        for (int pair = 0; pair < Pairs; pair++)
        {
            double a, b;
            if (pair % 2 == 0)
            {
                a = Time(lstmGen, ours, sequences);
                b = Time(other, theirs, sequences);
            }
            else
            {
                b = Time(other, theirs, sequences);
                a = Time(lstmGen, ours, sequences);
            }
            ourTimes.Add(a);
            theirTimes.Add(b);
            ratios.Add(b / a);
        }
        ourTimes.Sort();
        theirTimes.Sort();
        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Micro(ourTimes[0])} / {Micro(Median(ourTimes))} | {Micro(theirTimes[0])} / {Micro(Median(theirTimes))} | {Median(ratios):F2}× ({ratios[0]:F2}–{ratios[^1]:F2}) |"));
    }

    private static double Median(List<double> sorted) => sorted[sorted.Count / 2];

    private static string Micro(double ns) => (ns / 1000).ToString(ns >= 100_000 ? "N0" : ns >= 10_000 ? "F1" : "F2", CultureInfo.InvariantCulture) + " µs";

    /// <summary>Nanoseconds per sequence over one run.</summary>
    private static double Time(Action action, int calls, int sequences) => TimedRuns.NanosecondsPerCall(action, calls) / sequences;
}
