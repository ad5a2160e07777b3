using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using LstmGen.Import;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Import;

/// <summary>
/// The generator's side of import: a build-step import document in each weights layout (tfjs manifest names,
/// Keras 2 and Keras 3 HDF5 layouts, LstmGen's own layer lists) gives the same numbers as the fixture's framework
/// outputs, and every way of pointing at a file that cannot be read gets one diagnostic that says what to do.
/// </summary>
public sealed class ImportedModelTests
{
    private const string Source = "[LstmGen.LstmModel(\"Models/m.h5\")] public static partial class M { }";
    private const string ModelPath = "/project/Models/m.h5";
    private const string ImportPath = "/project/obj/Release/net8.0/lstmgen/m.h5.lstmgen.json";

    /// <summary>Keras 3's saving keys for these fixtures, written out by hand (snake-case class, numbered per class).</summary>
    private static readonly Dictionary<string, string[]> s_keras3Keys = new()
    {
        ["bidi_lstm_concat_seq_dense"] = new[] { "bidirectional", "dense" },
        ["keras3_bidi_lstm_concat_then_gru_sum"] = new[] { "input_layer", "bidirectional", "bidirectional_1", "dense" },
        ["keras2_functional_chain"] = new[] { "input_layer", "lstm", "dropout", "lstm_1", "dense" },
    };

    public static IEnumerable<object[]> Cases()
        => from fixture in s_keras3Keys.Keys
           from layout in new[] { "Tfjs", "Keras2", "Keras3", "Layers" }
           select new object[] { fixture, layout };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_document_in_each_layout_matches_the_framework(string fixture, string layoutName)
    {
        var layout = Enum.Parse<WeightsLayout>(layoutName);
        string document = ImportDocuments.Write(AsImport(fixture, layout));
        GeneratorOutcome outcome = GeneratorHarness.RunWithImports(new[] { Source }, new (string, string, string?)[]
        {
            (ModelPath, "\u0089HDF binary bytes the generator must never read", null),
            (ImportPath, document, ModelPath),
        });
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        PredictFunc predict = GeneratedModel.Predict(outcome.Load(), "M");
        FixtureExpectation expected = Fixtures.Expected(fixture);
        foreach (FixtureCase c in expected.Cases)
        {
            var output = new float[c.Output.Length];
            predict(c.Input, output);
            for (int i = 0; i < output.Length; i++)
            {
                float tolerance = Math.Max(1e-5f, 1e-4f * Math.Abs(c.Output[i]));
                Assert.True(Math.Abs(output[i] - c.Output[i]) <= tolerance, $"{fixture} {layout} [{i}]: {output[i]} vs {c.Output[i]} ({expected.Source})");
            }
        }
    }

    /// <summary>The fixture's weights named as <paramref name="layout"/>'s format names them, in a scrambled order where the format allows it.</summary>
    private static ImportDocument AsImport(string fixture, WeightsLayout layout)
    {
        (JsonObject topology, var layers) = ImportDocuments.Split(Fixtures.ModelJson(fixture));
        var document = new ImportDocument("m.h5", "test", layout) { Model = topology };
        string[] keys = s_keras3Keys[fixture];
        var weights = new List<NamedWeight>();
        for (int l = 0; l < layers.Count; l++)
        {
            var (name, className, inner, arrays) = layers[l];
            string[] roles = ImportDocuments.Roles(className, inner, arrays.Count);
            for (int i = 0; i < arrays.Count; i++)
            {
                bool backward = className == "Bidirectional" && i >= arrays.Count / 2;
                string direction = className == "Bidirectional" ? (backward ? "backward_" : "forward_") + inner!.ToLowerInvariant() + "/" : "";
                string cell = inner is not null || className is "LSTM" or "GRU" or "SimpleRNN" ? (inner ?? className).ToLowerInvariant() + "_cell/" : "";
                (int[] shape, float[] data) = arrays[i];
                weights.Add(layout switch
                {
                    // tfjs converter names, with the model-name prefix Keras 3 conversions have.
                    WeightsLayout.Tfjs => new NamedWeight(null, "sequential_4/" + name + "/" + direction + cell + roles[i], shape, data),
                    WeightsLayout.Keras2 => new NamedWeight(name, name + "/" + direction + cell + roles[i] + ":0", shape, data),
                    WeightsLayout.Keras3 => new NamedWeight(keys[l], "layers/" + keys[l] + "/" + (backward ? "backward_layer/" : className == "Bidirectional" ? "forward_layer/" : "") + "vars/" + i, shape, data),
                    _ => new NamedWeight(name, name + "/" + i, shape, data),
                });
            }
        }
        // A tfjs manifest lists weights in any order (often sorted by name): reverse them, so that a layer's
        // bias comes before its kernel and the backward direction before the forward one.
        if (layout == WeightsLayout.Tfjs) weights.Reverse();
        document.Weights.AddRange(weights);
        return document;
    }

    private static ImmutableArray<Diagnostic> Diagnose(string source, params (string Path, string Text, string? ImportedFrom)[] files)
        => GeneratorHarness.RunWithImports(new[] { source }, files).GeneratorDiagnostics;

    [Fact]
    public void Import_error_is_LSTMGEN020_with_the_spot_and_the_help()
    {
        string error = ImportDocuments.WriteError("m.h5", new ImportException("the shard holds 96 bytes, the manifest needs 128", where: "group1-shard1of1.bin", help: "copy the complete shard"));
        Diagnostic d = DiagnosticAssert.Single(Diagnose(Source, (ModelPath, "x", null), (ImportPath, error, ModelPath)), "LSTMGEN020");
        string message = d.GetMessage();
        Assert.Contains("'m.h5'", message);
        Assert.Contains("96 bytes", message);
        Assert.Contains("group1-shard1of1.bin", message);
        Assert.Contains("copy the complete shard", message);
    }

    [Fact]
    public void Weights_that_belong_to_no_layer_are_LSTMGEN020_naming_the_weight()
    {
        ImportDocument document = AsImport("keras2_functional_chain", WeightsLayout.Keras2);
        document.Weights.Add(new NamedWeight("conv1d", "conv1d/kernel:0", new[] { 1 }, new[] { 1f }));
        Diagnostic d = DiagnosticAssert.Single(Diagnose(Source, (ModelPath, "x", null), (ImportPath, ImportDocuments.Write(document), ModelPath)), "LSTMGEN020");
        Assert.Contains("conv1d/kernel:0", d.GetMessage());
    }

    [Fact]
    public void Weights_whose_bytes_disagree_with_their_shape_are_LSTMGEN006()
    {
        ImportDocument document = AsImport("keras2_functional_chain", WeightsLayout.Layers);
        NamedWeight first = document.Weights[0];
        document.Weights[0] = new NamedWeight(first.Layer, first.Name, first.Shape, first.Data.Take(first.Data.Length - 1).ToArray());
        Diagnostic d = DiagnosticAssert.Single(Diagnose(Source, (ModelPath, "x", null), (ImportPath, ImportDocuments.Write(document), ModelPath)), "LSTMGEN006");
        Assert.Contains("bytes", d.GetMessage());
    }

    [Fact]
    public void A_caveat_from_the_import_is_warning_LSTMGEN021()
    {
        ImportDocument document = AsImport("keras2_functional_chain", WeightsLayout.Layers);
        document.Warnings.Add("layer 'lstm' was trained with dtype policy mixed_float16; LstmGen computes in float32");
        ImmutableArray<Diagnostic> diagnostics = Diagnose(Source, (ModelPath, "x", null), (ImportPath, ImportDocuments.Write(document), ModelPath));
        Diagnostic d = DiagnosticAssert.Single(diagnostics, "LSTMGEN021");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("mixed_float16", d.GetMessage());
    }

    [Fact]
    public void Topology_plus_weights_file_compiles_through_the_Weights_property()
    {
        ImportDocument full = AsImport("keras2_functional_chain", WeightsLayout.Keras2);
        var weightsOnly = new ImportDocument("w.h5", "test", WeightsLayout.Keras2);
        weightsOnly.Weights.AddRange(full.Weights);
        const string source = "[LstmGen.LstmModel(\"Models/topology.json\", Weights = \"Models/w.h5\")] public static partial class M { }";
        GeneratorOutcome outcome = GeneratorHarness.RunWithImports(new[] { source }, new (string, string, string?)[]
        {
            ("/project/Models/topology.json", full.Model!.ToJsonString(), null),
            ("/project/Models/w.h5", "binary", null),
            ("/project/obj/lstmgen/w.h5.lstmgen.json", ImportDocuments.Write(weightsOnly), "/project/Models/w.h5"),
        });
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        PredictFunc predict = GeneratedModel.Predict(outcome.Load(), "M");
        FixtureCase c = Fixtures.Expected("keras2_functional_chain").Cases[0];
        var output = new float[c.Output.Length];
        predict(c.Input, output);
        Assert.Equal(c.Output, output, (a, b) => Math.Abs(a - b) <= Math.Max(1e-5f, 1e-4f * Math.Abs(b)));
    }

    [Fact]
    public void A_weights_only_file_named_alone_says_to_give_its_topology()
    {
        var weightsOnly = new ImportDocument("m.h5", "test", WeightsLayout.Keras2);
        Diagnostic d = DiagnosticAssert.Single(Diagnose(Source, (ModelPath, "x", null), (ImportPath, ImportDocuments.Write(weightsOnly), ModelPath)), "LSTMGEN020");
        Assert.Contains("Weights =", d.GetMessage());
    }

    [Theory]
    [InlineData("Models/m.h5")]
    [InlineData("Models/m.keras")]
    [InlineData("Models/m.onnx")]
    public void Binary_model_without_the_build_step_is_LSTMGEN022_not_a_missing_file(string path)
    {
        string source = "[LstmGen.LstmModel(\"" + path + "\")] public static partial class M { }";
        ImmutableArray<Diagnostic> diagnostics = Diagnose(source, ("/project/" + path, "binary", null));
        Diagnostic d = DiagnosticAssert.Single(diagnostics, "LSTMGEN022");
        Assert.Contains("build step", d.GetMessage());
        Assert.DoesNotContain(diagnostics, x => x.Id == "LSTMGEN001");
    }

    [Fact]
    public void Tfjs_model_json_without_the_build_step_is_LSTMGEN022()
    {
        const string tfjs = """{"modelTopology": {"class_name": "Sequential"}, "weightsManifest": []}""";
        Diagnostic d = DiagnosticAssert.Single(Diagnose("[LstmGen.LstmModel(\"Models/model.json\")] public static partial class M { }", ("/project/Models/model.json", tfjs, null)), "LSTMGEN022");
        Assert.Contains("TensorFlow.js", d.GetMessage());
    }

    [Fact]
    public void File_of_another_format_is_LSTMGEN022_listing_the_formats()
    {
        Diagnostic d = DiagnosticAssert.Single(Diagnose("[LstmGen.LstmModel(\"Models/m.txt\")] public static partial class M { }", ("/project/Models/m.txt", "{}", null)), "LSTMGEN022");
        Assert.Contains(".onnx", d.GetMessage());
    }

    [Fact]
    public void Path_typo_gets_did_you_mean_with_the_real_item()
    {
        Diagnostic d = DiagnosticAssert.Single(Diagnose("[LstmGen.LstmModel(\"Models/tiny.jsn\")] public static partial class M { }", ("/project/Models/tiny.json", "{}", null), ("/project/Models/other.json", "{}", null)), "LSTMGEN001");
        Assert.Contains("did you mean 'Models/tiny.json'?", d.GetMessage());
        Assert.DoesNotContain("AdditionalFiles Include", d.GetMessage());
    }

    [Fact]
    public void Mixed_float16_dtype_policy_is_warning_LSTMGEN021_naming_the_layer()
    {
        const string json = """
            {"class_name": "Sequential", "keras_version": "3.5.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 1, 1],
               "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}},
               "weights": [[[0, 1, 4, 1]], [[3, 2, -5, 4]], [1, 2, 3, 2]]}]}}
            """;
        ImmutableArray<Diagnostic> diagnostics = Diagnose("[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }", ("/project/Models/m.json", json, null));
        Diagnostic d = DiagnosticAssert.Single(diagnostics, "LSTMGEN021");
        Assert.Contains("'lstm'", d.GetMessage());
        Assert.Contains("mixed_float16", d.GetMessage());
        Assert.DoesNotContain(diagnostics, x => x.Severity == DiagnosticSeverity.Error);
    }
}
