using System;
using System.IO;
using System.Linq;
using LstmGen.Import;
using LstmGen.Tests.Import;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// A tfjs model whose shard is uint8-, uint16- or float16-quantized (tests/fixtures/import, made as
/// tensorflowjs_converter quantizes), imported and compiled, against TensorFlow.js's outputs for the same files.
/// </summary>
public sealed class QuantizedTfjsModelTests
{
    [Theory]
    [InlineData("uint8")]
    [InlineData("uint16")]
    [InlineData("float16")]
    public void Quantized_shard_gives_the_outputs_of_TensorFlow_js(string kind)
    {
        string directory = Path.Combine(RepoRoot.Path, "tests", "fixtures", "import");
        string model = Path.Combine(directory, "tfjs_lstm_" + kind, "model.json");
        string document = ImportDocuments.Write(ModelImporter.Import(model));
        GeneratorOutcome outcome = GeneratorHarness.RunWithImports(
            new[] { "[LstmGen.LstmModel(\"Models/model.json\")] public static partial class M { }" },
            new (string, string, string?)[] { ("/p/Models/model.json", File.ReadAllText(model), null), ("/p/obj/model.lstmgen.json", document, "/p/Models/model.json") });
        PredictFunc predict = GeneratedModel.Predict(outcome.Load(), "M");

        string expectedPath = Path.Combine(directory, "tfjs_lstm_" + kind + ".expected.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(expectedPath));
        int cases = 0;
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            float[] input = Array.ConvertAll(c.GetProperty("input").EnumerateArray().ToArray(), e => (float)e.GetDouble());
            float[] expected = Array.ConvertAll(c.GetProperty("output").EnumerateArray().ToArray(), e => (float)e.GetDouble());
            var output = new float[expected.Length];
            predict(input, output);
            for (int i = 0; i < output.Length; i++)
            {
                Assert.True(Math.Abs(output[i] - expected[i]) <= Math.Max(1e-5f, 1e-4f * Math.Abs(expected[i])), $"{kind} [{i}]: {output[i]:R} vs tfjs {expected[i]:R}");
            }
            cases++;
        }
        Assert.Equal(3, cases);
    }
}
