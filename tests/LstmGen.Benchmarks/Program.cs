using BenchmarkDotNet.Running;

// Pass BenchmarkDotNet arguments through, e.g. --filter '*Tutorial*'.
BenchmarkSwitcher.FromAssembly(typeof(LstmGen.Benchmarks.TutorialModelBenchmarks).Assembly).Run(args);
