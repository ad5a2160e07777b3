using System.Globalization;
using BenchmarkDotNet.Running;
using LstmGen.Benchmarks;

if (args.Length >= 2 && args[0] == "--profile")
{
    // A plain loop for a sampling profiler (profile.sh), not a measurement.
    ProfileLoop.Run(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return;
}

// Pass BenchmarkDotNet arguments through, e.g. --filter '*Tutorial*'.
BenchmarkSwitcher.FromAssembly(typeof(TutorialModelBenchmarks).Assembly).Run(args);
