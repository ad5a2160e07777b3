using System.Collections.Immutable;
using System.Linq;
using System.Text.Json;
using LstmGen.Generator;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// Text from the weights file (layer names, keras_version, the file name) is echoed into generated comments.
/// None of it may end a comment or a line, inject a directive, break the XML docs, or hide code with bidi controls.
/// </summary>
public sealed class HostileTextTests
{
    public static TheoryData<string> HostileTexts => new()
    {
        "*/ public static int Injected = 1; /*",
        "x\n#error injected",
        "x\r\n#error injected",
        "x\u2028#error injected",
        "x\u2029#error injected",
        "x\u0085#error injected",
        "\"; throw null; \"",
        "</summary><script>&amp;",
        "a\u202eevil\u202c",
        "lone \ud800 surrogate",
        "tab\tand\0nul",
        new string('n', 100_000),
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_names_and_versions_compile_cleanly_with_documentation_checks(string hostile)
    {
        string name = JsonSerializer.Serialize(hostile);
        string json = $$$"""
            {"class_name": "Sequential", "keras_version": {{{name}}}, "config": {"name": {{{name}}}, "layers": [
              {"class_name": "LSTM", "config": {"name": {{{name}}}, "units": 2, "batch_input_shape": [null, 3, 1], "return_sequences": true},
               "weights": [[[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]], [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]], [0, 1, 0, 0, 0, 0, 0, 0]]},
              {"class_name": "Dropout", "config": {"name": {{{name}}}, "rate": 0.5}},
              {"class_name": "Dense", "config": {"name": {{{name}}}, "units": 1}, "weights": [[[0.5], [-0.5]], [0.25]]}]}}
            """;
        var (generated, diagnostics) = Generate(json, "Models/m.json");

        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        AssertNothingEscaped(generated);
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_names_inside_bidirectional_gru_and_simple_rnn_layers_compile_cleanly(string hostile)
    {
        string name = JsonSerializer.Serialize(hostile);
        string json = $$$"""
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "Bidirectional", "config": {"name": {{{name}}}, "batch_input_shape": [null, 3, 1],
                "layer": {"class_name": "GRU", "config": {"name": {{{name}}}, "units": 1, "reset_after": false, "return_sequences": true} } },
               "weights": [[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [0, 0.1, 0], [[0.3, 0.2, 0.1]], [[0.6, 0.5, 0.4]], [0.1, 0, 0]]},
              {"class_name": "SimpleRNN", "config": {"name": {{{name}}}, "units": 1}, "weights": [[[0.5], [-0.5]], [[0.25]], [0.1]]}]}}
            """;
        var (generated, diagnostics) = Generate(json, "Models/m.json");

        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        AssertNothingEscaped(generated);
    }

    [Theory]
    [InlineData("we*/ird &<name>.json")]
    [InlineData("\u202eevil.json")]
    public void Hostile_file_names_compile_cleanly(string fileName)
    {
        string json = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoRoot.Path, "tests", "fixtures", "models", "worked_example_one_unit.json"));
        var (generated, diagnostics) = Generate(json, "Models/" + fileName);

        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        AssertNothingEscaped(generated);
    }

    private static void AssertNothingEscaped(string generated)
    {
        // Nothing can start a new line except "\n", and no preprocessor directive or bidi control is present.
        Assert.DoesNotContain(generated, c => c is '\r' or '\u2028' or '\u2029' or '\u0085' or '\u202e' or '\0' || char.IsSurrogate(c));
        SyntaxTree tree = CSharpSyntaxTree.ParseText(generated);
        var directives = tree.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective).Select(t => t.ToFullString().Trim());
        Assert.All(directives, d => Assert.Equal("#nullable enable", d)); // the generator's own, nothing else
        // Outside comments (tokens only) nothing of the injected code appears.
        string code = string.Join(" ", tree.GetRoot().DescendantTokens().Select(t => t.Text));
        Assert.DoesNotContain("Injected", code);
        Assert.DoesNotContain("throw null", code);
        Assert.True(generated.Length < 400_000, "generated " + generated.Length + " characters: long names must be cut");
    }

    private static (string Generated, ImmutableArray<Diagnostic> Diagnostics) Generate(string json, string path)
    {
        // Documentation mode Diagnose turns malformed XML docs into warnings (CS1570 and friends).
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        string source = $"[LstmGen.LstmModel({SymbolDisplay.FormatLiteral(path, quote: true)})] public static partial class M {{ }}";
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, parseOptions, path: "/src/M.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new LstmModelGenerator().AsSourceGenerator() },
            new[] { (AdditionalText)new InMemoryAdditionalText("/src/" + path, json) },
            parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        string generated = string.Concat(result.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.NotEmpty(generated);
        return (generated, generatorDiagnostics.AddRange(output.GetDiagnostics()));
    }
}
