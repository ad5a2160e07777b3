using System.Globalization;
using BenchmarkDotNet.Running;
using LstmGen.Benchmarks;

if (args.Length >= 2 && args[0] == "--profile")
{
    // A plain loop for a sampling profiler (profile.sh), not a measurement.
    ProfileLoop.Run(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5, batch: args.Length > 3 && args[3] == "batch", team: args.Length > 3 && args[3] == "team");
    return;
}

if (args.Length >= 1 && args[0] == "--stream-timing")
{
    // StreamingBenchmarks timed as rtneural/stream_bench.cpp times RTNeural (best and median of 21 runs of 20 ms).
    // Optional filters: a cell kind (LSTM or GRU) and a size, e.g. `--stream-timing LSTM 32`.
    StreamingTiming.Run(args.Length > 1 ? args[1] : null, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null);
    return;
}

if (args.Length >= 1 && args[0] == "--paired")
{
    // LstmGen and ONNX Runtime in alternating pairs of short runs: ratios under the same load on a busy host.
    PairedTiming.Run(args.Length > 1 ? args[1] : null);
    return;
}

// Pass BenchmarkDotNet arguments through, e.g. --filter '*Tutorial*'.
BenchmarkSwitcher.FromAssembly(typeof(TutorialModelBenchmarks).Assembly).Run(args);
