using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LstmGen.Generator;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Fuzz;

/// <summary>What one input did: the failed check (null when every check passed) and what the generator reported.</summary>
internal sealed record FuzzOutcome(string? Failure, string? Detail, ImmutableArray<Diagnostic> Diagnostics, bool Compiled, TimeSpan GeneratorTime, TimeSpan CompileTime)
{
    public bool Passed => Failure is null;
}

/// <summary>An AdditionalFiles item given as bytes, decoded the way <see cref="Decoding"/> says.</summary>
internal sealed class BytesAdditionalText(string path, byte[] bytes, Decoding decoding) : AdditionalText
{
    private static readonly Encoding s_strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SourceText? _text = Decode(bytes, decoding);

    public override string Path { get; } = path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;

    /// <summary>
    /// <see cref="Decoding.Build"/> follows what the C# compiler does for an AdditionalFiles item (Roslyn's
    /// EncodedStringText): a byte order mark decides the encoding, otherwise strict UTF-8; bytes that are not
    /// UTF-8 are read with the fallback code page (Latin-1 here), and binary content (NULs) makes the file
    /// unreadable, which the compiler reports itself while the generator sees a null text.
    /// </summary>
    public static SourceText? Decode(byte[] bytes, Decoding decoding)
    {
        if (decoding == Decoding.Lenient)
        {
            using var lenient = new MemoryStream(bytes, writable: false);
            return SourceText.From(lenient, encoding: null, SourceHashAlgorithm.Sha256);
        }
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return SourceText.From(stream, s_strictUtf8, SourceHashAlgorithm.Sha256, throwIfBinaryDetected: false);
        }
        catch (DecoderFallbackException)
        {
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                return SourceText.From(stream, Encoding.Latin1, SourceHashAlgorithm.Sha256, throwIfBinaryDetected: true);
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }
    }
}

/// <summary>
/// Runs the real generator on one input against a consumer compiled once (loop and unrolled variants), and checks:
/// no exception escapes; either an LSTMGEN error with a real location, or generated code that parses without
/// directives or diagnostics and compiles with the consumer with no error and no warning; and a time limit.
/// </summary>
internal sealed class FuzzTarget
{
    public const string WeightsPath = "/fuzz/Models/m.json";

    private const string ConsumerTemplate = """
        using LstmGen;

        namespace Fuzz.Consumer
        {
            /// <summary>The model under test.</summary>
            [LstmModel("Models/m.json"UNROLL)]
            public static partial class Model { }

            /// <summary>Uses the generated API.</summary>
            public static class Use
            {
                /// <summary>Calls Predict on a deterministic input of <paramref name="timesteps"/> steps.</summary>
                /// <param name="timesteps">The sequence length.</param>
                /// <returns>The output.</returns>
                public static float[] Run(int timesteps)
                {
                    var input = new Input(timesteps * Model.InputFeatures);
                    float[] output = new float[Model.OutputIsSequence ? timesteps * Model.OutputUnits : Model.OutputUnits];
                    Model.Predict(input, output);
                    return output;
                }
            }

            /// <summary>An input that converts to the span either kind of model takes: floats, or token ids (an Embedding first).</summary>
            public readonly struct Input
            {
                private readonly float[] _floats;
                private readonly int[] _ids;

                /// <summary>Deterministic floats, and token id 0 (in every vocabulary) at each position.</summary>
                /// <param name="length">The number of values.</param>
                public Input(int length)
                {
                    _floats = new float[length];
                    for (int i = 0; i < length; i++) _floats[i] = (i % 7) * 0.25f - 0.75f;
                    _ids = new int[length];
                }

                /// <summary>The floats.</summary>
                /// <param name="input">The input.</param>
                public static implicit operator System.ReadOnlySpan<float>(Input input) => input._floats;

                /// <summary>The token ids.</summary>
                /// <param name="input">The input.</param>
                public static implicit operator System.ReadOnlySpan<int>(Input input) => input._ids;
            }
        }
        """;

    private static readonly string[] s_generatorFailures = { "CS8784", "CS8785", "AD0001", "LSTMGEN999" };

    /// <summary>Decimal comma, '.' groups, U+2212 minus, another NaN symbol (built by hand: needs no ICU data).</summary>
    private static readonly CultureInfo s_commaCulture = CreateCommaCulture();

    private static CultureInfo CreateCommaCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        culture.NumberFormat.NegativeSign = "\u2212";
        culture.NumberFormat.NaNSymbol = "NeuN";
        culture.NumberFormat.PositiveInfinitySymbol = "Unendlich";
        return culture;
    }

    private readonly CSharpCompilation _loop;
    private readonly CSharpCompilation _unrolled;
    private readonly TimeSpan _timeLimit;

    public FuzzTarget(TimeSpan timeLimit)
    {
        _timeLimit = timeLimit;
        _loop = Consumer(false);
        _unrolled = Consumer(true);
    }

    /// <summary>
    /// The harness's language version with documentation comments diagnosed, as in a consumer with
    /// GenerateDocumentationFile: malformed XML in a generated doc comment is then a warning (CS1570...).
    /// </summary>
    private static readonly CSharpParseOptions s_parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    private static CSharpCompilation Consumer(bool unroll)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ConsumerTemplate.Replace("UNROLL", unroll ? ", Unroll = true" : ""));
        SyntaxTree consumer = compilation.SyntaxTrees.Single();
        compilation = compilation.ReplaceSyntaxTree(consumer, consumer.WithRootAndOptions(consumer.GetRoot(), s_parseOptions));
        // A consumer with TreatWarningsAsErrors on a current SDK: every warning wave counts.
        compilation = compilation.WithOptions(compilation.Options.WithWarningLevel(9999));
        // Warm up: bind the consumer once so later GetDiagnostics calls only pay for the generated tree.
        _ = compilation.GetDiagnostics();
        return compilation;
    }

    public FuzzOutcome Run(FuzzInput input, bool checkDeterminism, bool runPredict = false)
    {
        var text = new BytesAdditionalText(WeightsPath, input.Bytes, input.Decoding);
        CSharpCompilation compilation = input.Unroll ? _unrolled : _loop;

        var stopwatch = Stopwatch.StartNew();
        var run = Task.Run(() => RunGenerator(compilation, text));
        if (Task.WaitAny(new Task[] { run }, _timeLimit + _timeLimit) < 0)
        {
            return Fail("hang", "the generator did not finish within " + (_timeLimit + _timeLimit).TotalSeconds + " s", ImmutableArray<Diagnostic>.Empty, stopwatch.Elapsed);
        }
        TimeSpan generatorTime = stopwatch.Elapsed;
        if (run.IsFaulted)
        {
            return Fail("driver-exception", run.Exception!.ToString(), ImmutableArray<Diagnostic>.Empty, generatorTime);
        }
        var (output, diagnostics, result) = run.Result;

        if (result.Exception is not null)
        {
            return Fail("generator-exception", result.Exception.ToString(), diagnostics, generatorTime);
        }
        Diagnostic? crash = diagnostics.FirstOrDefault(d => s_generatorFailures.Contains(d.Id));
        if (crash is not null)
        {
            return Fail("generator-failed-" + crash.Id, crash.ToString(), diagnostics, generatorTime);
        }
        if (generatorTime > _timeLimit)
        {
            // The machine may just have been busy: only an input that is slow twice fails.
            var retry = Stopwatch.StartNew();
            var second = Task.Run(() => RunGenerator(compilation, new BytesAdditionalText(WeightsPath, input.Bytes, input.Decoding)));
            Task.WaitAny(new Task[] { second }, _timeLimit + _timeLimit);
            if (retry.Elapsed < generatorTime) generatorTime = retry.Elapsed;
        }
        if (generatorTime > _timeLimit)
        {
            return Fail("slow", "the generator took " + generatorTime.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " s", diagnostics, generatorTime);
        }
        foreach (Diagnostic d in diagnostics.Where(d => d.Id.StartsWith("LSTMGEN", StringComparison.Ordinal)))
        {
            string? problem = LocationProblem(d, text, compilation);
            if (problem is not null) return Fail("diagnostic-location", problem + ": " + d, diagnostics, generatorTime);
        }

        if (checkDeterminism)
        {
            // Again, under a culture that formats numbers differently: the output must not change by a byte.
            var again = Task.Run(() =>
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = s_commaCulture;
                return RunGenerator(compilation, new BytesAdditionalText(WeightsPath, input.Bytes, input.Decoding));
            }).Result;
            string? difference = Difference(result, diagnostics, again.Result, again.Diagnostics);
            if (difference is not null) return Fail("nondeterministic", difference, diagnostics, generatorTime);
        }

        bool rejected = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("LSTMGEN", StringComparison.Ordinal));
        if (rejected)
        {
            return new FuzzOutcome(null, null, diagnostics, false, generatorTime, TimeSpan.Zero);
        }

        // No error: the generated code must be clean C# that compiles with the consumer, warnings included.
        if (result.GeneratedSources.Length != 1)
        {
            return Fail("no-output", "no LSTMGEN error and " + result.GeneratedSources.Length + " generated sources", diagnostics, generatorTime);
        }
        SyntaxTree tree = result.GeneratedSources[0].SyntaxTree;
        string? parseProblem = ParseProblem(tree);
        if (parseProblem is not null)
        {
            return Fail("generated-syntax", parseProblem, diagnostics, generatorTime);
        }
        var compileWatch = Stopwatch.StartNew();
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        compileWatch.Stop();
        if (problems.Count > 0)
        {
            return new FuzzOutcome("compile", string.Join("\n", problems.Take(10)), diagnostics.AddRange(problems), false, generatorTime, compileWatch.Elapsed);
        }
        if (runPredict)
        {
            string? runtimeProblem = RunPredict(output);
            if (runtimeProblem is not null) return new FuzzOutcome("predict", runtimeProblem, diagnostics, false, generatorTime, compileWatch.Elapsed);
        }
        return new FuzzOutcome(null, null, diagnostics, true, generatorTime, compileWatch.Elapsed);
    }

    /// <summary>Longest input (floats) the runtime smoke test feeds Predict.</summary>
    private const long MaxSmokeInput = 1 << 20;

    /// <summary>
    /// Emits and loads the compiled consumer and calls Predict on a short deterministic input (the fixed length
    /// when there is one): it must return without an exception. Returns the problem, or null.
    /// </summary>
    private static string? RunPredict(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success) return "emit failed: " + string.Join("\n", emit.Diagnostics.Take(5));
        stream.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("LstmGenFuzz", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            Type model = assembly.GetType("Fuzz.Consumer.Model", throwOnError: true)!;
            int features = (int)model.GetField("InputFeatures")!.GetRawConstantValue()!;
            int timesteps = model.GetField("Timesteps")?.GetRawConstantValue() is int fixedSteps ? fixedSteps : 5;
            if ((long)timesteps * features > MaxSmokeInput) return null; // valid, but too long to run for every sample
            var run = assembly.GetType("Fuzz.Consumer.Use", throwOnError: true)!.GetMethod("Run")!;
            try
            {
                run.Invoke(null, new object[] { timesteps });
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is ArgumentException a
                && (a.Message.StartsWith("The model needs at least ", StringComparison.Ordinal) || a.Message.StartsWith("The output needs ", StringComparison.Ordinal)))
            {
                // The documented contract of a model whose layers change the rows (Conv1D, pooling, cropping, upsampling):
                // the smoke input is too short for it, or the consumer sized the output as timesteps × units.
                return null;
            }
            catch (System.Reflection.TargetInvocationException e)
            {
                return "Predict threw on a valid input of " + timesteps + " timesteps: " + e.InnerException;
            }
            return null;
        }
        finally
        {
            context.Unload();
        }
    }

    private static FuzzOutcome Fail(string check, string detail, ImmutableArray<Diagnostic> diagnostics, TimeSpan time)
        => new(check, detail, diagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics, false, time, TimeSpan.Zero);

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorRunResult Result) RunGenerator(CSharpCompilation compilation, AdditionalText text)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new LstmModelGenerator().AsSourceGenerator() },
            new[] { text },
            s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        // The run result's diagnostics are the generator's own; the out parameter adds the driver's (CS8785...).
        ImmutableArray<Diagnostic> all = diagnostics.AddRange(run.Diagnostics.Where(d => !diagnostics.Contains(d)));
        return (output, all, run.Results.Single());
    }

    /// <summary>A diagnostic must point at the attribute (in the consumer) or into the weights file, at a real line and column.</summary>
    private static string? LocationProblem(Diagnostic d, BytesAdditionalText file, CSharpCompilation consumer)
    {
        Location location = d.Location;
        if (location == Location.None || location.Kind == LocationKind.None) return "no location";
        FileLinePositionSpan span = location.GetLineSpan();
        if (!span.IsValid || string.IsNullOrEmpty(span.Path)) return "no file in the location";
        if (span.StartLinePosition.Line < 0 || span.StartLinePosition.Character < 0 || span.EndLinePosition < span.StartLinePosition) return "invalid line/column";
        if (span.Path == WeightsPath)
        {
            SourceText? text = file.GetText();
            if (text is null) return "a location in a file that could not be read";
            if (span.EndLinePosition.Line >= text.Lines.Count) return "line " + (span.EndLinePosition.Line + 1) + " beyond the file's " + text.Lines.Count + " lines";
            return null;
        }
        SyntaxTree? tree = consumer.SyntaxTrees.FirstOrDefault(t => t.FilePath == span.Path);
        if (tree is null) return "location in an unknown file " + span.Path;
        // Diagnostics on the consumer sit on the attribute or on the class name.
        SyntaxNode node = tree.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        bool onAttribute = node.AncestorsAndSelf().Any(n => n is AttributeSyntax);
        bool onClass = node is ClassDeclarationSyntax c && c.Identifier.Span.Contains(location.SourceSpan);
        return onAttribute || onClass ? null : "location neither on the attribute nor on the class name";
    }

    /// <summary>The generated tree must parse cleanly and hold no directive but the leading #nullable enable.</summary>
    private static string? ParseProblem(SyntaxTree tree)
    {
        var parseDiagnostics = tree.GetDiagnostics().ToList();
        if (parseDiagnostics.Count > 0) return "parse diagnostics: " + string.Join("\n", parseDiagnostics.Take(5));
        var directives = tree.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective).ToList();
        if (directives.Count != 1 || !directives[0].IsKind(SyntaxKind.NullableDirectiveTrivia) || directives[0].ToString().Trim() != "#nullable enable")
        {
            return "unexpected directives: " + string.Join(" | ", directives.Select(t => t.ToString().Trim()));
        }
        var skipped = tree.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsKind(SyntaxKind.SkippedTokensTrivia) || t.IsKind(SyntaxKind.DisabledTextTrivia)).ToList();
        if (skipped.Count > 0) return "skipped or disabled text: " + skipped[0];
        return null;
    }

    private static string? Difference(GeneratorRunResult first, ImmutableArray<Diagnostic> firstDiagnostics, GeneratorRunResult second, ImmutableArray<Diagnostic> secondDiagnostics)
    {
        if (first.GeneratedSources.Length != second.GeneratedSources.Length) return "a different number of generated sources";
        for (int i = 0; i < first.GeneratedSources.Length; i++)
        {
            GeneratedSourceResult a = first.GeneratedSources[i], b = second.GeneratedSources[i];
            if (a.HintName != b.HintName) return "hint names differ: " + a.HintName + " / " + b.HintName;
            if (!a.SourceText.GetChecksum().SequenceEqual(b.SourceText.GetChecksum()) || a.SourceText.ToString() != b.SourceText.ToString())
            {
                return "generated source " + a.HintName + " differs between two runs";
            }
        }
        string Text(ImmutableArray<Diagnostic> ds) => string.Join("\n", ds.Select(d => d.ToString()));
        return Text(firstDiagnostics) == Text(secondDiagnostics) ? null : "diagnostics differ between two runs";
    }
}
