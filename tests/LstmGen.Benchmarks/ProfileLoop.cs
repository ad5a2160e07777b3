using System;
using System.Diagnostics;

namespace LstmGen.Benchmarks;

/// <summary>
/// `-- --profile S|M|L|W [seconds] [batch]`: calls one shape's generated Predict (with <c>batch</c>, PredictBatch of
/// 64 sequences) in a loop for a while, for a sampling profiler to watch (profile.sh runs it under Linux perf).
/// Prints the mean time per sequence, for quick comparisons of two builds run in turn.
/// </summary>
internal static class ProfileLoop
{
    public static void Run(string shapeName, double seconds, bool batch = false, bool team = false)
    {
        if (team)
        {
            RunTeam(shapeName, seconds);
            return;
        }
        Shape shape = Enum.Parse<Shape>(shapeName, ignoreCase: true);
        if (batch)
        {
            RunBatch(shape, seconds);
            return;
        }
        (float[] input, float[] expected) = ModelShapes.Check(shape);
        var output = new float[expected.Length];
        PredictFunc predict = ModelShapes.Generated(shape, unrolled: false);
        for (int i = 0; i < 1000; i++) predict(input, output);
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 100; i++) predict(input, output);
            calls += 100;
        }
        Console.WriteLine($"{shape}: {calls:N0} calls, {clock.Elapsed.TotalMilliseconds * 1000 / calls:F2} µs per call");
    }

    /// <summary>`--profile W|U512|GRU512 seconds team`: Predict with a CoreTeam of every core, then alone, in turns.</summary>
    private static void RunTeam(string shapeName, double seconds)
    {
        (string file, TeamPredictFunc withTeam, PredictFunc alone) = shapeName.ToUpperInvariant() switch
        {
            "W" => ("w", (TeamPredictFunc)ModelW.Predict, (PredictFunc)ModelW.Predict),
            "GRU512" => ("Scaling/gru_u512", ScalingGru512.Predict, ScalingGru512.Predict),
            _ => ("Scaling/lstm_u512", ScalingU512.Predict, ScalingU512.Predict),
        };
        (float[] input, float[] expected) = ModelShapes.Check(file);
        var output = new float[expected.Length];
        using var team = new CoreTeam();
        for (int i = 0; i < 50; i++)
        {
            withTeam(input, output, team);
            alone(input, output);
        }
        for (int round = 0; round < 3; round++)
        {
            foreach ((string name, Action call) in new (string, Action)[] { ("team", () => withTeam(input, output, team)), ("alone", () => alone(input, output)) })
            {
                long calls = 0;
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < seconds / 6)
                {
                    for (int i = 0; i < 10; i++) call();
                    calls += 10;
                }
                Console.WriteLine($"{shapeName} {name}: {calls:N0} calls, {clock.Elapsed.TotalMilliseconds * 1000 / calls:F1} µs per call");
            }
        }
    }

    private static void RunBatch(Shape shape, double seconds)
    {
        const int Batch = BatchBenchmarks.Batch;
        var (_, _, steps, features, outputs) = ModelShapes.Dimensions(shape);
        var random = new Random(64);
        var inputs = new float[Batch * steps * features];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(random.NextDouble() * 2 - 1);
        var results = new float[Batch * outputs];
        PredictBatchFunc predictBatch = ModelShapes.GeneratedBatch(shape);
        for (int i = 0; i < 20; i++) predictBatch(inputs, Batch, results);
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            predictBatch(inputs, Batch, results);
            calls++;
        }
        Console.WriteLine($"{shape} batch: {calls:N0} calls of {Batch}, {clock.Elapsed.TotalMilliseconds * 1000 / (calls * Batch):F2} µs per sequence");
    }
}
