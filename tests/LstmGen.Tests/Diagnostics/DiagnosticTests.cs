using System.Collections.Immutable;
using System.Linq;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>Every diagnostic id, triggered by the input a user would really write, checked for id, location and message.</summary>
public sealed class DiagnosticTests
{
    private const string Path = "/project/Models/m.json";

    private static string Lstm(string config = "", string weights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]", string shape = "[null, 3, 1]")
        => $$$"""
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": {{{shape}}}{{{config}}}}, "weights": {{{weights}}}}]}}
        """;

    private static ImmutableArray<Diagnostic> Diagnose(string json, string attribute = "[LstmGen.LstmModel(\"Models/m.json\")]", string declaration = "public static partial class M { }")
    {
        Sources["/src/Source0.cs"] = attribute + " " + declaration;
        return GeneratorHarness.Run(attribute + " " + declaration, (Path, json)).GeneratorDiagnostics;
    }

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id) => DiagnosticAssert.Single(diagnostics, id);

    /// <summary>Model diagnostics sit on the attribute's path argument.</summary>
    private static void AssertOnPathArgument(Diagnostic diagnostic, string argument = "\"Models/m.json\"")
    {
        // Generators report with a file path and span (the syntax tree does not travel through the cache).
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/src/Source0.cs", span.Path);
        Assert.Equal(argument, Sources[span.Path].Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Sources = new();

    [Fact]
    public void Valid_model_reports_nothing()
        => Assert.Empty(Diagnose(Lstm()));

    [Fact]
    public void Missing_weights_file_reports_LSTMGEN001_with_how_to_add_it()
    {
        var d = Single(Diagnose(Lstm(), attribute: "[LstmGen.LstmModel(\"Models/other.json\")]"), "LSTMGEN001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("<AdditionalFiles Include=\"Models/other.json\" />", d.GetMessage());
        AssertOnPathArgument(d, "\"Models/other.json\"");
    }

    [Fact]
    public void Path_that_is_no_valid_file_name_reports_LSTMGEN001_not_an_internal_error()
    {
        var diagnostics = Diagnose(Lstm(), attribute: "[LstmGen.LstmModel(\"Models/\\0bad.json\")]");
        Single(diagnostics, "LSTMGEN001");
        Assert.DoesNotContain(diagnostics, d => d.Id == "LSTMGEN999");
    }

    [Fact]
    public void Invalid_json_reports_LSTMGEN002_with_line_and_column()
    {
        var d = Single(Diagnose("{\"class_name\": \"Sequential\",\n  \"config\": {\"layers\": [1 2]}}"), "LSTMGEN002");
        Assert.Contains("line 2, column 27", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Unsupported_layer_reports_LSTMGEN003_naming_layer_and_class()
    {
        string json = Lstm().Replace("]}}", ", {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\"}}]}}");
        var d = Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("'conv'", d.GetMessage());
        Assert.Contains("Conv2D", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Unsupported_activation_reports_LSTMGEN004_naming_it()
    {
        var d = Single(Diagnose(Lstm(", \"activation\": \"gelu\"")), "LSTMGEN004");
        Assert.Contains("'lstm'", d.GetMessage());
        Assert.Contains("gelu", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Theory]
    [InlineData("stateful")]
    [InlineData("return_state")]
    [InlineData("time_major")]
    public void Unsupported_option_reports_LSTMGEN005_naming_the_key(string key)
    {
        var d = Single(Diagnose(Lstm($", \"{key}\": true")), "LSTMGEN005");
        Assert.Contains(key, d.GetMessage());
        Assert.Contains("'lstm'", d.GetMessage());
    }

    [Fact]
    public void Wrong_weight_shape_reports_LSTMGEN006_with_expected_and_actual()
    {
        var d = Single(Diagnose(Lstm(weights: "[[[0.1, 0.2, 0.3]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]")), "LSTMGEN006");
        Assert.Contains("kernel", d.GetMessage());
        Assert.Contains("[1, 3]", d.GetMessage());
        Assert.Contains("[1, 4]", d.GetMessage());
    }

    [Fact]
    public void Missing_weight_array_reports_LSTMGEN006()
    {
        var d = Single(Diagnose(Lstm(weights: "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]]]")), "LSTMGEN006");
        Assert.Contains("2 arrays", d.GetMessage());
        Assert.Contains("3 arrays", d.GetMessage());
    }

    [Fact]
    public void Non_partial_class_reports_LSTMGEN007()
    {
        var d = Single(Diagnose(Lstm(), declaration: "public static class M { }"), "LSTMGEN007");
        Assert.Contains("M", d.GetMessage());
    }

    [Fact]
    public void Non_partial_containing_class_reports_LSTMGEN007()
        => Single(Diagnose(Lstm(), attribute: "public class Outer { [LstmGen.LstmModel(\"Models/m.json\")]", declaration: "public static partial class M { } }"), "LSTMGEN007");

    [Fact]
    public void Class_nested_in_generic_reports_LSTMGEN008()
        => Single(Diagnose(Lstm(), attribute: "public partial class Outer<T> { [LstmGen.LstmModel(\"Models/m.json\")]", declaration: "public static partial class M { } }"), "LSTMGEN008");

    [Fact]
    public void Model_without_input_shape_reports_LSTMGEN009()
    {
        string json = Lstm().Replace(", \"batch_input_shape\": [null, 3, 1]", string.Empty);
        var d = Single(Diagnose(json), "LSTMGEN009");
        Assert.Contains("batch_input_shape", d.GetMessage());
    }

    [Fact]
    public void Model_without_recurrent_layer_reports_LSTMGEN009()
    {
        const string json = """
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "Dense", "config": {"name": "d", "units": 1, "batch_input_shape": [null, 3, 1]}, "weights": [[[1]], [0]]}]}}
            """;
        Single(Diagnose(json), "LSTMGEN009");
    }

    [Fact]
    public void Unroll_of_variable_length_model_warns_LSTMGEN010_and_still_generates()
    {
        var outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\", Unroll = true)] public static partial class M { }", (Path, Lstm(shape: "[null, null, 1]")));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN010");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Single(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void Unroll_of_more_than_1024_timesteps_warns_LSTMGEN016_and_keeps_the_loop()
    {
        var outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\", Unroll = true)] public static partial class M { }", (Path, Lstm(shape: "[null, 5000, 1]")));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN016");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("5000 timesteps", d.GetMessage());
        Assert.Contains("for (int t0 = 0; t0 < Timesteps; t0 += BlockSteps)", outcome.SingleSource);
    }

    [Fact]
    public void Ambiguous_path_reports_LSTMGEN012()
    {
        var outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"m.json\")] public static partial class M { }", ("/a/m.json", Lstm()), ("/b/m.json", Lstm()));
        Single(outcome.GeneratorDiagnostics, "LSTMGEN012");
    }

    [Fact]
    public void Unknown_option_warns_LSTMGEN013()
    {
        var d = Single(Diagnose(Lstm(", \"fancy_new_option\": 3")), "LSTMGEN013");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("fancy_new_option", d.GetMessage());
    }

    [Fact]
    public void NaN_weight_warns_LSTMGEN014_with_layer_and_index()
    {
        var d = Single(Diagnose(Lstm(weights: "[[[0.1, NaN, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]")), "LSTMGEN014");
        Assert.Contains("'lstm'", d.GetMessage());
        Assert.Contains("index 1", d.GetMessage());
    }

    [Fact]
    public void Weight_beyond_float_range_reports_LSTMGEN015()
    {
        var d = Single(Diagnose(Lstm(weights: "[[[0.1, 0.2, 1e39, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]")), "LSTMGEN015");
        Assert.Contains("index 2", d.GetMessage());
    }

    private static string Recurrent(string className, string config, string weights)
        => $$$"""
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "{{{className}}}", "config": {"name": "rec", "units": 1, "batch_input_shape": [null, 3, 1]{{{config}}}}, "weights": {{{weights}}}}]}}
        """;

    private const string GruResetAfterWeights = "[[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]";

    private const string GruResetBeforeWeights = "[[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [0.1, 0.2, 0.3]]";

    private const string SimpleRnnWeights = "[[[0.1]], [[0.2]], [0.3]]";

    [Fact]
    public void Valid_gru_and_simple_rnn_models_report_nothing()
    {
        Assert.Empty(Diagnose(Recurrent("GRU", string.Empty, GruResetAfterWeights)));
        Assert.Empty(Diagnose(Recurrent("GRU", ", \"reset_after\": false", GruResetBeforeWeights)));
        Assert.Empty(Diagnose(Recurrent("SimpleRNN", string.Empty, SimpleRnnWeights)));
    }

    [Theory]
    [InlineData("GRU", "[[[0.1, 0.2, 0.3, 0.4]], [[0.4, 0.5, 0.6]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]", "kernel", "[1, 4]", "[1, 3]")]
    [InlineData("GRU", "[[[0.1, 0.2, 0.3]], [[0.4, 0.5]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]", "recurrent_kernel", "[1, 2]", "[1, 3]")]
    [InlineData("GRU", "[[[0.1, 0.2, 0.3]], [[0.4, 0.5, 0.6]], [0.1, 0.2, 0.3]]", "bias", "[3]", "[2, 3]")]
    [InlineData("SimpleRNN", "[[[0.1, 0.2]], [[0.2]], [0.3]]", "kernel", "[1, 2]", "[1, 1]")]
    [InlineData("SimpleRNN", "[[[0.1]], [[0.2]], [0.3, 0.4]]", "bias", "[2]", "[1]")]
    public void Wrong_gru_or_simple_rnn_weight_shape_reports_LSTMGEN006(string className, string weights, string array, string actual, string expected)
    {
        var d = Single(Diagnose(Recurrent(className, string.Empty, weights)), "LSTMGEN006");
        Assert.Contains("'rec'", d.GetMessage());
        Assert.Contains(array + " has shape " + actual + ", expected " + expected, d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Gru_reset_before_with_a_two_row_bias_reports_LSTMGEN006()
    {
        var d = Single(Diagnose(Recurrent("GRU", ", \"reset_after\": false", GruResetAfterWeights)), "LSTMGEN006");
        Assert.Contains("bias has shape [2, 3], expected [3]", d.GetMessage());
    }

    [Fact]
    public void Simple_rnn_without_bias_expects_two_arrays()
    {
        var d = Single(Diagnose(Recurrent("SimpleRNN", ", \"use_bias\": false", SimpleRnnWeights)), "LSTMGEN006");
        Assert.Contains("3 arrays", d.GetMessage());
        Assert.Contains("2 arrays (kernel, recurrent_kernel)", d.GetMessage());
    }

    [Theory]
    [InlineData("GRU", "stateful")]
    [InlineData("GRU", "return_state")]
    [InlineData("GRU", "time_major")]
    [InlineData("SimpleRNN", "stateful")]
    [InlineData("SimpleRNN", "return_state")]
    [InlineData("SimpleRNN", "time_major")]
    public void Unsupported_gru_or_simple_rnn_option_reports_LSTMGEN005(string className, string key)
    {
        string weights = className == "GRU" ? GruResetAfterWeights : SimpleRnnWeights;
        var d = Single(Diagnose(Recurrent(className, $", \"{key}\": true", weights)), "LSTMGEN005");
        Assert.Contains(key, d.GetMessage());
        Assert.Contains("'rec'", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Gru_reset_after_that_is_not_a_bool_reports_LSTMGEN005()
    {
        var d = Single(Diagnose(Recurrent("GRU", ", \"reset_after\": \"yes\"", GruResetAfterWeights)), "LSTMGEN005");
        Assert.Contains("reset_after", d.GetMessage());
    }

    [Theory]
    [InlineData("GRU", "recurrent_activation", "gelu")]
    [InlineData("GRU", "activation", "softmax")]
    [InlineData("SimpleRNN", "activation", "gelu")]
    public void Unsupported_gru_or_simple_rnn_activation_reports_LSTMGEN004(string className, string key, string value)
    {
        string weights = className == "GRU" ? GruResetAfterWeights : SimpleRnnWeights;
        var d = Single(Diagnose(Recurrent(className, $", \"{key}\": \"{value}\"", weights)), "LSTMGEN004");
        Assert.Contains(key + " '" + value + "'", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Simple_rnn_has_no_recurrent_activation_so_it_warns_LSTMGEN013()
    {
        var d = Single(Diagnose(Recurrent("SimpleRNN", ", \"recurrent_activation\": \"sigmoid\"", SimpleRnnWeights)), "LSTMGEN013");
        Assert.Contains("recurrent_activation", d.GetMessage());
    }

    [Fact]
    public void Gru_after_a_many_to_one_layer_reports_LSTMGEN011()
    {
        string json = Lstm().Replace("]}}", ", {\"class_name\": \"GRU\", \"config\": {\"name\": \"g\", \"units\": 1}, \"weights\": " + GruResetAfterWeights + "}]}}");
        var d = Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("GRU 'g' receives a single vector", d.GetMessage());
    }

    [Fact]
    public void Model_over_the_parameter_limit_reports_LSTMGEN017_before_reading_its_weights()
    {
        // 4·1100·(1000 + 1100) weights are declared; none are present, so only the budget check can fire.
        var d = Single(Diagnose(Lstm(config: ", \"units\": 1100", weights: "[[], [], []]", shape: "[null, 3, 1000]")), "LSTMGEN017");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("9244400 parameters", d.GetMessage());
        Assert.Contains("4194304", d.GetMessage());
        AssertOnPathArgument(d);
    }

    [Fact]
    public void Weights_file_over_the_size_limit_reports_LSTMGEN017_without_parsing_it()
    {
        string json = Lstm() + new string(' ', 64 * 1024 * 1024);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var d = Single(Diagnose(json), "LSTMGEN017");
        Assert.Contains("characters", d.GetMessage());
        Assert.True(watch.Elapsed < System.TimeSpan.FromSeconds(30), "took " + watch.Elapsed);
    }

    [Fact]
    public void Errors_about_the_file_content_also_point_into_the_weights_file()
    {
        // The kernel array of the one LSTM starts on line 2; the diagnostic stays on the attribute and
        // carries the file position as an additional location.
        var d = Single(Diagnose(Lstm(weights: "[[[0.1, 0.2, 0.3]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]")), "LSTMGEN006");
        AssertOnPathArgument(d);
        Location file = Assert.Single(d.AdditionalLocations);
        FileLinePositionSpan span = file.GetLineSpan();
        Assert.Equal(Path, span.Path);
        string line2 = Lstm().Split('\n')[1];
        Assert.Equal(1, span.StartLinePosition.Line);
        Assert.Equal(line2.IndexOf("[[0.1", System.StringComparison.Ordinal), span.StartLinePosition.Character);
    }

    [Fact]
    public void Invalid_json_points_at_the_bad_character_in_the_file()
    {
        string json = "{\"class_name\": \"Sequential\",\r\n  \"config\": {\"layers\": [1 2]}}";
        var d = Single(Diagnose(json), "LSTMGEN002");
        FileLinePositionSpan span = Assert.Single(d.AdditionalLocations).GetLineSpan();
        Assert.Equal((1, 26), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal('2', json[Assert.Single(d.AdditionalLocations).SourceSpan.Start]);
    }

    [Theory]
    [InlineData("evil\nname")]
    [InlineData("evil\u2028name")]
    [InlineData("evil\u202ename")]
    public void Names_from_the_file_cannot_forge_lines_in_diagnostic_messages(string name)
    {
        string json = Lstm(config: ", \"surprise\": 1").Replace("\"name\": \"lstm\"", "\"name\": " + System.Text.Json.JsonSerializer.Serialize(name));
        var d = Single(Diagnose(json), "LSTMGEN013");
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("evil\\u", message);
        Assert.DoesNotContain(message, c => c is '\n' or '\r' or '\u2028' or '\u202e');
    }

    [Fact]
    public void Go_backwards_model_gets_no_Step_and_says_why_with_info_LSTMGEN018()
    {
        const string Source = "[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";
        Sources["/src/Source0.cs"] = Source;
        var outcome = GeneratorHarness.Run(Source, (Path, Lstm(config: ", \"go_backwards\": true")));
        var d = Single(outcome.GeneratorDiagnostics, "LSTMGEN018");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("go_backwards", d.GetMessage());
        AssertOnPathArgument(d);
        Assert.DoesNotContain("public static void Step(", outcome.SingleSource);
        Assert.Contains("public static void Predict(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, ref State state)", outcome.SingleSource);
    }

    [Fact]
    public void Before_CSharp_12_there_is_no_State_and_LSTMGEN018_says_so()
    {
        var parse = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11);
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }", parse, path: "/src/Source0.cs"));
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            new[] { new LstmGen.Generator.LstmModelGenerator().AsSourceGenerator() }, new[] { (AdditionalText)new InMemoryAdditionalText(Path, Lstm()) }, parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        var d = Single(diagnostics, "LSTMGEN018");
        Assert.Contains("C# 12", d.GetMessage());
        string generated = driver.GetRunResult().GeneratedTrees.Single().ToString();
        Assert.DoesNotContain("struct State", generated);
        Assert.Empty(output.GetDiagnostics().Where(x => x.Severity >= DiagnosticSeverity.Warning));
    }

    /// <summary>
    /// Each id has a release note, a test named after it (a [Fact] or [Theory] of this assembly whose name contains
    /// the id, e.g. ..._reports_LSTMGEN006) and a test source that spells the id as a string, as an assertion on it does.
    /// </summary>
    [Fact]
    public void Every_descriptor_has_a_test_and_a_release_note()
    {
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoRoot.Path, "generator", "AnalyzerReleases.Unshipped.md"));
        string[] testNames = typeof(DiagnosticTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(FactAttribute), inherit: true)) // TheoryAttribute is a FactAttribute
            .Select(m => m.Name)
            .ToArray();
        string testRoot = System.IO.Path.Combine(RepoRoot.Path, "tests", "LstmGen.Tests");
        string[] testSources = System.IO.Directory.GetFiles(testRoot, "*.cs", System.IO.SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".verified.cs", System.StringComparison.Ordinal) && !f.EndsWith(".received.cs", System.StringComparison.Ordinal))
            .Where(f => !System.IO.Path.GetRelativePath(testRoot, f).StartsWith("obj", System.StringComparison.Ordinal)
                && !System.IO.Path.GetRelativePath(testRoot, f).StartsWith("bin", System.StringComparison.Ordinal))
            .Select(System.IO.File.ReadAllText)
            .ToArray();
        Assert.NotEmpty(testNames);
        Assert.NotEmpty(testSources);
        foreach (var descriptor in LstmGen.Generator.Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.StartsWith("LSTMGEN", descriptor.Id);
            Assert.Contains(descriptor.Id + " |", releases);
            Assert.True(testNames.Any(n => n.Contains(descriptor.Id, System.StringComparison.Ordinal)), $"no test method of LstmGen.Tests names {descriptor.Id}");
            string literal = "\"" + descriptor.Id + "\"";
            Assert.True(testSources.Any(s => s.Contains(literal, System.StringComparison.Ordinal)), $"no test source of tests/LstmGen.Tests asserts on {literal}");
        }
    }

    private const string BidirectionalLstmWeights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4], [[0.4, 0.3, 0.2, 0.1]], [[0.8, 0.7, 0.6, 0.5]], [0.4, 0.3, 0.2, 0.1]]";

    private const string WrappedLstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1}}";

    private static string Bidirectional(string config = "", string layer = WrappedLstm, string weights = BidirectionalLstmWeights)
        => $$$"""
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "Bidirectional", "config": {"name": "bidi", "batch_input_shape": [null, 3, 1], "layer": {{{layer}}}{{{config}}}},
           "weights": {{{weights}}}}]}}
        """;

    private static void AssertPointsAt(Diagnostic diagnostic, string json, string text) => DiagnosticAssert.PointsAt(diagnostic, json, text);

    [Fact]
    public void Valid_bidirectional_model_with_the_input_shape_on_the_wrapper_reports_nothing()
        => Assert.Equal(new[] { "LSTMGEN018" }, Diagnose(Bidirectional(", \"merge_mode\": \"sum\"")).Select(d => d.Id)); // only: no Step (info)

    [Fact]
    public void Valid_bidirectional_model_with_the_input_shape_on_the_wrapped_layer_reports_nothing()
    {
        string json = Bidirectional(layer: "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1, \"batch_input_shape\": [null, null, 1]}}")
            .Replace("\"batch_input_shape\": [null, 3, 1], ", string.Empty);
        Assert.DoesNotContain("[null, 3, 1]", json);
        var outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }", (Path, json));
        Assert.Equal(new[] { "LSTMGEN018" }, outcome.GeneratorDiagnostics.Select(d => d.Id)); // only: no Step (info)
        Assert.Contains("int timesteps = input.Length / InputFeatures;", outcome.SingleSource);
    }

    [Fact]
    public void Bidirectional_merge_mode_null_reports_LSTMGEN005_at_the_value()
    {
        string json = Bidirectional(", \"merge_mode\": null");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("'bidi'", d.GetMessage());
        Assert.Contains("merge_mode = null", d.GetMessage());
        Assert.Contains("list of two tensors", d.GetMessage());
        AssertOnPathArgument(d);
        AssertPointsAt(d, json, "null}");
    }

    [Fact]
    public void Bidirectional_unknown_merge_mode_reports_LSTMGEN005_listing_the_supported_ones()
    {
        string json = Bidirectional(", \"merge_mode\": \"max\"");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("merge_mode = max", d.GetMessage());
        Assert.Contains("concat, sum, ave, mul", d.GetMessage());
        AssertPointsAt(d, json, "\"max\"");
    }

    [Fact]
    public void Bidirectional_around_a_layer_that_is_not_recurrent_reports_LSTMGEN005()
    {
        string json = Bidirectional(layer: "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1}}", weights: "[[[1]], [0], [[1]], [0]]");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("'bidi'", d.GetMessage());
        Assert.Contains("layer = Dense", d.GetMessage());
        Assert.Contains("LSTM, GRU or SimpleRNN", d.GetMessage());
        AssertPointsAt(d, json, "\"Dense\"");
    }

    [Fact]
    public void Bidirectional_with_the_weights_of_one_direction_only_reports_LSTMGEN006()
    {
        string json = Bidirectional(weights: "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]");
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("'bidi'", d.GetMessage());
        Assert.Contains("3 arrays", d.GetMessage());
        Assert.Contains("6 arrays (forward kernel, forward recurrent_kernel, forward bias, backward kernel, backward recurrent_kernel, backward bias)", d.GetMessage());
        AssertPointsAt(d, json, "[[[0.1");
    }

    [Fact]
    public void Bidirectional_backward_weights_of_the_wrong_shape_report_LSTMGEN006_naming_the_direction()
    {
        string json = Bidirectional(weights: "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4], [[0.4, 0.3, 0.2]], [[0.8, 0.7, 0.6, 0.5]], [0.4, 0.3, 0.2, 0.1]]");
        var d = Single(Diagnose(json), "LSTMGEN006");
        Assert.Contains("backward kernel has shape [1, 3], expected [1, 4]", d.GetMessage());
    }

    [Fact]
    public void Bidirectional_whose_layers_run_the_same_way_reports_LSTMGEN011()
    {
        string backward = ", \"backward_layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"backward_lstm\", \"units\": 1}}";
        var d = Single(Diagnose(Bidirectional(backward)), "LSTMGEN011");
        Assert.Contains("go_backwards=false", d.GetMessage());
    }

    [Fact]
    public void Bidirectional_unsupported_option_of_the_wrapped_layer_reports_LSTMGEN005()
    {
        string json = Bidirectional(layer: "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 1, \"stateful\": true}}");
        var d = Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("'lstm'", d.GetMessage());
        Assert.Contains("stateful", d.GetMessage());
    }
}
