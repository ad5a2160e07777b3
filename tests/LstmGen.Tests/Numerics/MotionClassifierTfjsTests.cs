using System;
using System.IO;
using System.Linq;
using LstmGen.Import;
using LstmGen.Tests.Import;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Issue 16's motion classifier at full size, Conv1D(128, 5, same, relu) ×2 → GRU(256, reset_after=false) ×2 →
/// Dense(128, relu) → Dense(64, relu) → Dense(6, softmax) over [100, 6], as TensorFlow.js 4.22 saves it (model.json and
/// a float32 shard, tests/fixtures/import/tfjs_motion_classifier, made by make_motion_classifier.mjs), imported and
/// compiled, against TensorFlow.js's outputs for the same files.
/// </summary>
public sealed class MotionClassifierTfjsTests
{
    private const string Name = "tfjs_motion_classifier";
    private readonly ITestOutputHelper _output;

    public MotionClassifierTfjsTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Full_size_motion_classifier_gives_the_outputs_of_TensorFlow_js()
    {
        string directory = Path.Combine(RepoRoot.Path, "tests", "fixtures", "import");
        string model = Path.Combine(directory, Name, "model.json");
        string document = ImportDocuments.Write(ModelImporter.Import(model));
        GeneratorOutcome outcome = GeneratorHarness.RunWithImports(
            new[] { "[LstmGen.LstmModel(\"Models/model.json\")] public static partial class M { }" },
            new (string, string, string?)[] { ("/p/Models/model.json", File.ReadAllText(model), null), ("/p/obj/model.lstmgen.json", document, "/p/Models/model.json") });

        // No errors; 'same' convolutions only cost the Step API (LSTMGEN018, an info).
        Assert.Empty(outcome.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(outcome.GeneratorDiagnostics, d => d.Id == "LSTMGEN018" && d.Severity == DiagnosticSeverity.Info);
        Assert.All(outcome.GeneratorDiagnostics, d => Assert.Equal("LSTMGEN018", d.Id));

        var assembly = outcome.Load();
        PredictFunc predict = GeneratedModel.Predict(assembly, "M");
        PredictBatchFunc predictBatch = GeneratedModel.PredictBatch(assembly, "M");
        Assert.Equal(100, GeneratedModel.Constant<int>(assembly, "M", "Timesteps"));
        Assert.Equal(6, GeneratedModel.Constant<int>(assembly, "M", "InputFeatures"));

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, Name + ".expected.json")));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(3, cases.Length);
        int inputLength = 0, outputLength = 0;
        var inputs = new float[cases.Length][];
        var outputs = new float[cases.Length][];
        double maxDifference = 0;
        for (int n = 0; n < cases.Length; n++)
        {
            float[] input = Array.ConvertAll(cases[n].GetProperty("input").EnumerateArray().ToArray(), e => (float)e.GetDouble());
            float[] expected = Array.ConvertAll(cases[n].GetProperty("output").EnumerateArray().ToArray(), e => (float)e.GetDouble());
            Assert.Equal(100 * 6, input.Length);
            Assert.Equal(6, expected.Length);
            var output = new float[expected.Length];
            predict(input, output);
            for (int i = 0; i < output.Length; i++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(output[i] - expected[i]));
                Assert.True(Math.Abs(output[i] - expected[i]) <= Math.Max(1e-5f, 1e-4f * Math.Abs(expected[i])), $"case {n} [{i}]: {output[i]:R} vs tfjs {expected[i]:R}");
            }
            inputs[n] = input;
            outputs[n] = output;
            inputLength = input.Length;
            outputLength = output.Length;
        }
        _output.WriteLine($"{Name}: largest |LstmGen - tfjs| {maxDifference:G3}");

        // PredictBatch over the three sequences gives Predict's numbers bit for bit.
        float[] batchInput = inputs.SelectMany(x => x).ToArray();
        var batchOutput = new float[cases.Length * outputLength];
        predictBatch(batchInput, cases.Length, batchOutput);
        for (int n = 0; n < cases.Length; n++)
        {
            for (int i = 0; i < outputLength; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(batchOutput[n * outputLength + i]) == BitConverter.SingleToInt32Bits(outputs[n][i]),
                    $"PredictBatch case {n} [{i}]: {batchOutput[n * outputLength + i]:R} vs Predict {outputs[n][i]:R}");
            }
        }
        Assert.Equal(100 * 6, inputLength);
    }
}
