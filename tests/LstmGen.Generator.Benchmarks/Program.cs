using BenchmarkDotNet.Running;
using LstmGen.Generator.Benchmarks;

// Pass BenchmarkDotNet arguments through, e.g. --filter '*EditAbove*'.
BenchmarkSwitcher.FromAssembly(typeof(IdeEditBenchmarks).Assembly).Run(args);
