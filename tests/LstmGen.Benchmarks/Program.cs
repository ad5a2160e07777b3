using System.Globalization;
using BenchmarkDotNet.Running;
using LstmGen.Benchmarks;

if (args.Length >= 2 && args[0] == "--profile")
{
    // A plain loop for a sampling profiler (profile.sh), not a measurement.
    ProfileLoop.Run(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return;
}

if (args.Length >= 1 && args[0] == "--stream-timing")
{
    // StreamingBenchmarks timed as rtneural/stream_bench.cpp times RTNeural (best and median of 21 runs of 20 ms).
    StreamingTiming.Run();
    return;
}

// Pass BenchmarkDotNet arguments through, e.g. --filter '*Tutorial*'.
BenchmarkSwitcher.FromAssembly(typeof(TutorialModelBenchmarks).Assembly).Run(args);
