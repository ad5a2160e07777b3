using System.Collections.Immutable;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>
/// The rejections of Functional graphs that are not compiled (several inputs or outputs, shared layers, cycles,
/// dead branches, merges of mismatched shapes, masks in graphs): id, message naming the layer, and the place in the
/// weights file. Graph numerics are checked against TensorFlow.js in <see cref="Numerics.ReferenceModelTests"/>.
/// </summary>
public sealed class GraphDiagnosticTests
{
    private const string Path = "/project/Models/m.json";

    private const string Source = "[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }";

    private static ImmutableArray<Diagnostic> Diagnose(string json) => GeneratorHarness.Run(Source, (Path, json)).GeneratorDiagnostics;

    /// <summary>A Keras 2 Functional model of <paramref name="layers"/>, with <paramref name="outputs"/> as output_layers (none when null).</summary>
    private static string Graph(string? outputs, params string[] layers)
        => "{\"class_name\": \"Functional\", \"keras_version\": \"2.15.0\", \"config\": {\"name\": \"g\", \"layers\": [\n" + string.Join(",\n", layers) + "]"
           + (outputs is null ? "" : ", \"output_layers\": " + outputs) + "}}";

    private static string Input(string name = "x", string shape = "[null, 4, 2]")
        => "{\"class_name\": \"InputLayer\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\", \"batch_input_shape\": " + shape + "}, \"inbound_nodes\": []}";

    private static string Inbound(params string[] from) => "[[" + string.Join(", ", System.Linq.Enumerable.Select(from, f => "[\"" + f + "\", 0, 0, {}]")) + "]]";

    /// <summary>LSTM 'name' of 2 units over 2 features.</summary>
    private static string Lstm(string name, string from, bool sequences = true, int inputs = 2)
        => "{\"class_name\": \"LSTM\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\", \"units\": 2, \"return_sequences\": " + (sequences ? "true" : "false") + "}, \"inbound_nodes\": " + Inbound(from)
           + ", \"weights\": [" + Matrix(inputs, 8) + ", " + Matrix(2, 8) + ", " + Vector(8) + "]}";

    private static string Dense(string name, string from, int units = 2, int inputs = 2)
        => "{\"class_name\": \"Dense\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\", \"units\": " + units + "}, \"inbound_nodes\": " + Inbound(from)
           + ", \"weights\": [" + Matrix(inputs, units) + ", " + Vector(units) + "]}";

    private static string Merge(string className, string name, string config, params string[] from)
        => "{\"class_name\": \"" + className + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\"" + config + "}, \"inbound_nodes\": " + Inbound(from) + "}";

    private static string Matrix(int rows, int columns)
        => "[" + string.Join(", ", System.Linq.Enumerable.Repeat(Vector(columns), rows)) + "]";

    private static string Vector(int length) => "[" + string.Join(", ", System.Linq.Enumerable.Repeat("0.1", length)) + "]";

    [Fact]
    public void A_residual_graph_compiles_with_Step()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("lstm", "x"), Merge("Add", "add", "", "x", "lstm"), Lstm("out", "add", sequences: false));
        GeneratorOutcome outcome = GeneratorHarness.Run(Source, (Path, json));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains("public static void Step(", outcome.SingleSource);
        outcome.Load();
    }

    [Fact]
    public void A_graph_whose_first_layer_declares_the_input_shape_compiles()
    {
        // No InputLayer: the first LSTM carries batch_input_shape and has no inbound nodes, as some exporters write it.
        string first = Lstm("a", "x").Replace("\"inbound_nodes\": " + Inbound("x"), "\"inbound_nodes\": []").Replace("\"units\": 2,", "\"units\": 2, \"batch_input_shape\": [null, 4, 2],");
        string json = Graph("[[\"out\", 0, 0]]", first, Lstm("b", "a"), Merge("Add", "add", "", "a", "b"), Lstm("out", "add", sequences: false));
        GeneratorOutcome outcome = GeneratorHarness.Run(Source, (Path, json));
        Assert.Empty(outcome.GeneratorDiagnostics);
        outcome.Load();
    }

    [Fact]
    public void Two_outputs_report_LSTMGEN011_naming_them_at_output_layers()
    {
        string json = Graph("[[\"a\", 0, 0], [\"b\", 0, 0]]", Input(), Lstm("a", "x"), Lstm("b", "x"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("2 outputs (a, b)", d.GetMessage());
        Assert.Contains("one output", d.GetMessage());
        DiagnosticAssert.PointsAt(d, json, "[[\"a\", 0, 0], [\"b\", 0, 0]]");
    }

    [Fact]
    public void Two_outputs_without_output_layers_are_found_by_what_nothing_reads()
    {
        string json = Graph(null, Input(), Lstm("a", "x"), Lstm("b", "x"));
        Assert.Contains("2 outputs (a, b)", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Two_inputs_report_LSTMGEN011_at_the_second()
    {
        string json = Graph("[[\"add\", 0, 0]]", Input("x"), Input("y"), Merge("Add", "add", "", "x", "y"), Lstm("out", "add"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("several inputs ('x', 'y')", d.GetMessage());
        DiagnosticAssert.PointsAt(d, json, Input("y"));
    }

    [Fact]
    public void A_layer_that_does_not_lead_to_the_output_reports_LSTMGEN011()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("dead", "x"), Lstm("out", "x", sequences: false));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("layer 'dead' does not lead to the model output 'out'", d.GetMessage());
    }

    [Fact]
    public void A_cycle_reports_LSTMGEN011()
    {
        string json = Graph("[[\"b\", 0, 0]]", Input(), Merge("Add", "a", "", "x", "b"), Lstm("b", "a"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011");
        Assert.Contains("a cycle", d.GetMessage());
    }

    [Fact]
    public void A_non_merge_layer_with_two_inputs_reports_LSTMGEN011()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("a", "x"), Lstm("out", "x").Replace(Inbound("x"), Inbound("x", "a")));
        Assert.Contains("reads several inputs (x, a)", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Attention_over_an_lstm_reports_LSTMGEN003_saying_attention_is_not_compiled()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("a", "x"), Merge("Attention", "att", "", "a", "a"), Lstm("out", "att"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("attention layers are not compiled yet", d.GetMessage());
        DiagnosticAssert.PointsAt(d, json, "\"Attention\"");
    }

    [Fact]
    public void Merging_a_sequence_with_a_vector_reports_LSTMGEN003_at_the_merge()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("seq", "x"), Lstm("last", "x", sequences: false), Merge("Add", "add", "", "seq", "last"), Lstm("out", "add"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("on a sequence and a vector ('last' is a vector)", d.GetMessage());
        Assert.Contains("broadcasting is not compiled", d.GetMessage());
        DiagnosticAssert.PointsAt(d, json, "\"Add\"");
    }

    [Fact]
    public void Adding_different_widths_reports_LSTMGEN011()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Dense("wide", "x", units: 3), Merge("Add", "add", "", "x", "wide"), Lstm("out", "add"));
        Assert.Contains("merges inputs of different widths (2 and 3 from 'wide')", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Merging_sequences_of_different_timesteps_reports_LSTMGEN011()
    {
        string pool = "{\"class_name\": \"MaxPooling1D\", \"name\": \"pool\", \"config\": {\"name\": \"pool\", \"pool_size\": [2]}, \"inbound_nodes\": " + Inbound("x") + "}";
        string json = Graph("[[\"out\", 0, 0]]", Input(), pool, Merge("Add", "add", "", "x", "pool"), Lstm("out", "add"));
        Assert.Contains("timesteps differ (4 and 2 from 'pool')", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Concatenate_on_the_batch_axis_reports_LSTMGEN005_at_the_axis()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("a", "x"), Merge("Concatenate", "cat", ", \"axis\": 0", "x", "a"), Lstm("out", "cat", inputs: 4));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN005");
        Assert.Contains("axis", d.GetMessage());
        DiagnosticAssert.PointsAt(d, json, "0}");
    }

    [Fact]
    public void Subtract_of_three_inputs_reports_LSTMGEN011()
    {
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("a", "x"), Lstm("b", "x"), Merge("Subtract", "sub", "", "x", "a", "b"), Lstm("out", "sub"));
        Assert.Contains("Subtract takes exactly 2", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }

    [Fact]
    public void Masking_in_a_graph_reports_LSTMGEN003()
    {
        string masking = "{\"class_name\": \"Masking\", \"name\": \"mask\", \"config\": {\"name\": \"mask\"}, \"inbound_nodes\": " + Inbound("x") + "}";
        string json = Graph("[[\"out\", 0, 0]]", Input(), masking, Lstm("a", "mask"), Merge("Add", "add", "", "mask", "a"), Lstm("out", "add"));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN003");
        Assert.Contains("in a Functional graph with branches", d.GetMessage());
    }

    [Fact]
    public void Fixed_length_buffers_beyond_a_span_report_LSTMGEN009()
    {
        // 5,000,000 rows × 300 floats, twice (the Dense and the Add), and the LSTM's rows: more than int.MaxValue floats together.
        string json = Graph("[[\"out\", 0, 0]]", Input(shape: "[null, 5000000, 2]"), Dense("d", "x", units: 300), Merge("Add", "add", "", "d", "d"), Lstm("out", "add", inputs: 300));
        var d = DiagnosticAssert.Single(Diagnose(json), "LSTMGEN009");
        Assert.Contains("3010000000 floats together", d.GetMessage());
    }

    [Fact]
    public void A_shared_layer_reports_LSTMGEN011()
    {
        string shared = Lstm("shared", "x").Replace(Inbound("x"), "[[[\"x\", 0, 0, {}]], [[\"a\", 0, 0, {}]]]");
        string json = Graph("[[\"out\", 0, 0]]", Input(), Lstm("a", "x"), shared, Merge("Add", "add", "", "a", "shared"), Lstm("out", "add"));
        Assert.Contains("is called 2 times (a shared layer)", DiagnosticAssert.Single(Diagnose(json), "LSTMGEN011").GetMessage());
    }
}
