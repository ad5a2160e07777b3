using System;
using System.Diagnostics;

namespace LstmGen.Benchmarks;

/// <summary>
/// `-- --profile S|M|L|W [seconds]`: calls one shape's generated Predict in a loop for a while, for a sampling
/// profiler to watch (profile.sh runs it under Linux perf). Prints the mean time per call as a sanity check.
/// </summary>
internal static class ProfileLoop
{
    public static void Run(string shapeName, double seconds)
    {
        Shape shape = Enum.Parse<Shape>(shapeName, ignoreCase: true);
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
}
