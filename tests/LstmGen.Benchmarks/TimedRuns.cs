using System;
using System.Diagnostics;

namespace LstmGen.Benchmarks;

/// <summary>
/// The run protocol of rtneural/stream_bench.cpp, shared by the plain timing modes (--stream-timing, --paired): a
/// quarter second of warm-up, then runs of about <see cref="RunSeconds"/> each, timed with the stopwatch.
/// </summary>
internal static class TimedRuns
{
    public const double RunSeconds = 0.02;

    /// <summary>A quarter of a second of calls, so the tiered JIT has optimized the benchmark's own loops.</summary>
    public static void Warm(Action action)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 0.25) action();
    }

    /// <summary>Calls per run of about <see cref="RunSeconds"/>, after warming up.</summary>
    public static int Calibrate(Action action)
    {
        int calls = 1;
        for (;;)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) action();
            double seconds = clock.Elapsed.TotalSeconds;
            if (seconds > RunSeconds / 2) return Math.Max(1, (int)(calls * RunSeconds / seconds));
            calls *= 2;
        }
    }

    /// <summary>Nanoseconds per call over one run of <paramref name="calls"/> calls.</summary>
    public static double NanosecondsPerCall(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }
}
