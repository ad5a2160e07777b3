using BenchmarkDotNet.Running;
using LstmGen.Benchmarks.DebugBuild;

BenchmarkSwitcher.FromAssembly(typeof(DebugBuildBenchmarks).Assembly).Run(args);
