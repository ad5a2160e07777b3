using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace LstmGen.Fuzz;

/// <summary>
/// The fuzz campaign (seeded, sized by environment variables, see README.md) and the replay of every saved
/// regression case.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Seed of the campaign; inputs depend only on (seed, iteration).</summary>
    public const int DefaultSeed = 6;

    /// <summary>Sized so the CI run stays well under two minutes on two cores.</summary>
    public const int DefaultIterations = 3000;

    /// <summary>A single input whose generator run takes longer fails ("slow"); twice as long counts as a hang.</summary>
    public const double DefaultTimeLimitSeconds = 5;

    /// <summary>At most this many failing inputs are saved per run (the first of each check, then any).</summary>
    private const int MaxSavedPerRun = 40;

    private static readonly Lazy<Mutator> s_mutator = new(() => new Mutator(
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "tests", "fixtures", "models"), "*.json")
            .Where(p => !p.EndsWith(".expected.json", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (Path.GetFileNameWithoutExtension(p), File.ReadAllText(p)))));

    private static FuzzTarget CreateTarget() => new(TimeSpan.FromSeconds(EnvDouble("LSTMGEN_FUZZ_TIME_LIMIT", DefaultTimeLimitSeconds)));

    [Fact]
    public void Fuzz_campaign()
    {
        int seed = EnvInt("LSTMGEN_FUZZ_SEED", DefaultSeed);
        int iterations = EnvInt("LSTMGEN_FUZZ_ITERATIONS", DefaultIterations);
        int first = EnvInt("LSTMGEN_FUZZ_FIRST", 0);
        Mutator mutator = s_mutator.Value;
        FuzzTarget target = CreateTarget();

        var diagnosticCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var inputsById = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var savedChecks = new HashSet<string>(StringComparer.Ordinal);
        int rejected = 0, compiled = 0, deterministicChecks = 0, saved = 0, predictRuns = 0;
        TimeSpan maxGenerator = TimeSpan.Zero, maxCompile = TimeSpan.Zero;
        string slowest = "";
        var total = Stopwatch.StartNew();

        for (int i = first; i < first + iterations; i++)
        {
            FuzzInput input = mutator.Create(seed, i);
            bool determinism = i % 10 == 0;
            deterministicChecks += determinism ? 1 : 0;
            FuzzOutcome outcome = target.Run(input, determinism, runPredict: i % 20 == 0);

            foreach (Diagnostic d in outcome.Diagnostics)
            {
                diagnosticCounts[d.Id] = diagnosticCounts.GetValueOrDefault(d.Id) + 1;
            }
            foreach (string id in outcome.Diagnostics.Select(d => d.Id).Distinct())
            {
                inputsById[id] = inputsById.GetValueOrDefault(id) + 1;
            }
            if (outcome.GeneratorTime > maxGenerator)
            {
                maxGenerator = outcome.GeneratorTime;
                slowest = "input " + i + " (" + input.Description + ")";
            }
            if (outcome.CompileTime > maxCompile) maxCompile = outcome.CompileTime;

            if (outcome.Passed)
            {
                if (outcome.Compiled && i % 20 == 0) predictRuns++;
                if (outcome.Compiled) compiled++;
                else rejected++;
                continue;
            }
            string line = $"input {i} ({input.Description}): {outcome.Failure}: {First(outcome.Detail)}";
            failures.Add(line);
            if (saved < MaxSavedPerRun && (savedChecks.Add(outcome.Failure!) || saved < MaxSavedPerRun / 2))
            {
                string name = RegressionCase.Save(input, outcome.Failure!, $"seed {seed}, input {i}: {outcome.Detail}");
                saved++;
                line += " -> saved Regressions/" + name + ".case";
                failures[^1] = line;
            }
            if (outcome.Failure == "hang") break; // a hung generator keeps a core busy: stop here
        }
        total.Stop();

        var summary = new StringBuilder();
        summary.AppendLine(CultureInfo.InvariantCulture, $"LstmGen fuzz: seed {seed}, inputs {first}..{first + iterations - 1} ({iterations} inputs, {mutator.SeedCount} seed fixtures) in {total.Elapsed.TotalSeconds:F1} s");
        summary.AppendLine(CultureInfo.InvariantCulture, $"  rejected with an LSTMGEN error: {rejected}; generated and compiled clean: {compiled}; failed a check: {failures.Count}");
        summary.AppendLine(CultureInfo.InvariantCulture, $"  determinism re-runs: {deterministicChecks}; Predict smoke runs: {predictRuns}; slowest generator run {maxGenerator.TotalMilliseconds:F0} ms ({slowest}); slowest compile {maxCompile.TotalMilliseconds:F0} ms");
        summary.AppendLine("  diagnostics by id (occurrences / inputs):");
        foreach (var (id, count) in diagnosticCounts)
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"    {id,-11} {count,7} / {inputsById[id],6}");
        }
        foreach (string failure in failures.Take(50)) summary.AppendLine("  FAIL " + failure);
        output.WriteLine(summary.ToString());
        string? summaryFile = Environment.GetEnvironmentVariable("LSTMGEN_FUZZ_SUMMARY");
        if (!string.IsNullOrEmpty(summaryFile)) File.WriteAllText(summaryFile, summary.ToString(), new UTF8Encoding(false));

        Assert.True(failures.Count == 0, failures.Count + " fuzz inputs failed a check:\n" + string.Join("\n", failures.Take(20)));
    }

    public static TheoryData<string> RegressionCases()
    {
        var data = new TheoryData<string>();
        foreach (string name in RegressionCase.Names()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Regression_case_passes_every_check(string name)
    {
        RegressionCase saved = RegressionCase.Load(name);
        FuzzOutcome outcome = CreateTarget().Run(saved.ToInput(), checkDeterminism: true, runPredict: true);
        output.WriteLine($"{name}: was '{saved.Check}' ({saved.MadeBy}); now {(outcome.Compiled ? "compiles" : "rejected")}: " + string.Join(", ", outcome.Diagnostics.Select(d => d.Id).Distinct()));
        Assert.True(outcome.Passed, $"{name} ({saved.MadeBy}) still fails '{outcome.Failure}': {outcome.Detail}");
        if (saved.Expect is not null)
        {
            Assert.Equal(saved.Expect, outcome.Compiled ? "compiles" : "rejected");
        }
    }

    /// <summary>
    /// Every hostile string of the mutator, as a layer name, as keras_version and as a key, escaped and (where JSON
    /// allows) raw: the model stays valid, so it must compile cleanly with nothing breaking out of a comment.
    /// </summary>
    [Fact]
    public void Hostile_strings_in_names_and_versions_cannot_break_out_of_the_generated_comments()
    {
        FuzzTarget target = CreateTarget();
        string seed = File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "fixtures", "models", "keras2_topology_stack.json"));
        var inputs = new List<FuzzInput>();
        foreach (string hostile in Mutator.HostileStrings)
        {
            foreach (string where in new[] { "name", "keras_version", "unknown key" })
            {
                foreach (bool raw in new[] { false, true })
                {
                    if (raw && hostile.Any(c => c < ' ' || c == '"' || c == '\\' || char.IsSurrogate(c))) continue;
                    var root = (JObj)JParser.Parse(seed);
                    var layer = ((JArr)((JObj)root["config"]!)["layers"]!).Items.OfType<JObj>().First(l => l["class_name"] is JStr { Value: "LSTM" });
                    var config = (JObj)layer["config"]!;
                    switch (where)
                    {
                        case "name":
                            config.Members.RemoveAll(m => m.Key == "name");
                            config.Members.Add(new("name", new JStr("lstm" + hostile + "end", raw)));
                            break;
                        case "keras_version":
                            root.Members.RemoveAll(m => m.Key == "keras_version");
                            root.Members.Add(new("keras_version", new JStr("2.15.0" + hostile, raw)));
                            break;
                        default:
                            config.Members.Add(new("x" + hostile, new JRaw("1")));
                            break;
                    }
                    inputs.Add(new FuzzInput(Encoding.UTF8.GetBytes(root.ToString()), false, Decoding.Build, where + " with " + JsonEscaped(hostile) + (raw ? " (raw)" : "")));
                }
            }
        }

        // About 300 generator runs and compilations, independent of each other: one per core.
        var failures = new ConcurrentBag<(int Index, string Text)>();
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            FuzzOutcome outcome = target.Run(inputs[i], checkDeterminism: false);
            if (!outcome.Passed || !outcome.Compiled)
            {
                failures.Add((i, inputs[i].Description + ": " + (outcome.Failure ?? "rejected: " + string.Join(", ", outcome.Diagnostics.Select(d => d.Id))) + " " + First(outcome.Detail)));
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f.Index).Select(f => f.Text)));
    }

    private static string JsonEscaped(string text) => new JStr(text).ToString();

    private static string First(string? detail)
    {
        if (detail is null) return "";
        string line = detail.Split('\n')[0];
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    private static int EnvInt(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static double EnvDouble(string name, double fallback)
        => double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : fallback;
}
