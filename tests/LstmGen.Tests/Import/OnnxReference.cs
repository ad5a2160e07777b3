using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.Import;
using LstmGen.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LstmGen.Tests.Import;

/// <summary>How an ONNX test model is fed and what its output looks like. <see cref="ReferencePath"/>: a file
/// ONNX Runtime runs instead of <see cref="Path"/> (an equivalent graph, where ONNX Runtime lacks the operator form).</summary>
internal sealed record OnnxCase(
    string Path,
    bool TimeMajorInput,
    int Batch = 3,
    int Timesteps = 9,
    int Vocabulary = 0,
    bool SequenceOutput = false,
    bool TimeMajorOutput = false,
    string? ReferencePath = null);

/// <summary>
/// Imports an .onnx file, compiles the translation with the generator and compares Predict with ONNX Runtime on
/// the same file, one sequence of a seeded random batch at a time.
/// </summary>
internal static class OnnxReference
{
    public static string RealWorld(string folder, string file) => System.IO.Path.Combine(RepoRoot.Path, "..", "shared", "realworld", folder, file);

    public static string Fixture(string file) => System.IO.Path.Combine(RepoRoot.Path, "tests", "fixtures", "onnx", file);

    /// <summary>Returns the largest absolute difference; fails beyond max(1e-5, 1e-4·|expected|).</summary>
    public static double Compare(OnnxCase c)
    {
        ImportDocument document = ModelImporter.Import(c.Path);
        // Twice: as LstmGen's own JSON, and as the import document the build step hands the generator.
        GeneratorOutcome legacy = GeneratorHarness.Run("namespace Onnx; [LstmGen.LstmModel(\"model.json\")] public static partial class Imported { }",
            ("model.json", LegacyJson.Write(document)));
        GeneratorOutcome imported = GeneratorHarness.RunWithImports(
            new[] { "namespace Onnx; [LstmGen.LstmModel(\"Models/model.onnx\")] public static partial class Imported { }" },
            new (string, string, string?)[]
            {
                ("/project/Models/model.onnx", "ONNX bytes the generator must never read", null),
                ("/project/obj/Release/net8.0/lstmgen/model.onnx.lstmgen.json", ImportDocuments.Write(document), "/project/Models/model.onnx"),
            });
        PredictFunc[] predicts =
        {
            GeneratedModel.Predict(legacy.Load(), "Onnx.Imported"),
            GeneratedModel.Predict(imported.Load(), "Onnx.Imported"),
        };

        using var session = new InferenceSession(c.ReferencePath ?? c.Path);
        (string inputName, NodeMetadata meta) = session.InputMetadata.Single();
        int[] dims = meta.Dimensions.ToArray();
        int batchAxis = c.TimeMajorInput ? 1 : 0, timeAxis = 1 - batchAxis;
        if (dims[batchAxis] <= 0) dims[batchAxis] = c.Batch;
        if (dims[timeAxis] <= 0) dims[timeAxis] = c.Timesteps;
        int batch = dims[batchAxis], steps = dims[timeAxis], features = dims.Length > 2 ? dims[2] : 1;
        var random = new Random(dims.Sum() + c.Path.Length);
        float[] values = Enumerable.Range(0, dims.Aggregate(1, (a, b) => a * b))
            .Select(_ => c.Vocabulary > 0 ? random.Next(c.Vocabulary) : (float)(random.NextDouble() * 2 - 1)).ToArray();
        NamedOnnxValue input = c.Vocabulary > 0
            ? NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<long>(values.Select(v => (long)v).ToArray(), dims))
            : NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(values, dims));
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(new[] { input });
        Tensor<float> output = results.First().AsTensor<float>();
        float[] all = output.ToArray();
        int[] outDims = output.Dimensions.ToArray();

        double largest = 0;
        for (int b = 0; b < batch; b++)
        {
            var sequence = new float[steps * features];
            for (int t = 0; t < steps; t++)
            {
                for (int f = 0; f < features; f++)
                {
                    int index = c.TimeMajorInput ? (t * batch + b) * features + f : (b * steps + t) * features + f;
                    sequence[t * features + f] = values[index];
                }
            }
            float[] expected = ExpectedRow(all, outDims, b, c);
            foreach (PredictFunc predict in predicts)
            {
                var actual = new float[expected.Length];
                actual.AsSpan().Fill(float.NaN);
                predict(sequence, actual);
                for (int i = 0; i < expected.Length; i++)
                {
                    double difference = Math.Abs(expected[i] - actual[i]);
                    double tolerance = Math.Max(1e-5, 1e-4 * Math.Abs(expected[i]));
                    Assert.True(difference <= tolerance, $"{System.IO.Path.GetFileName(c.Path)} sequence {b}: output[{i}] = {actual[i]:R}, ONNX Runtime {expected[i]:R}");
                    largest = Math.Max(largest, difference);
                }
            }
        }
        return largest;
    }

    private static float[] ExpectedRow(float[] all, int[] dims, int b, OnnxCase c)
    {
        if (!c.SequenceOutput)
        {
            int width = all.Length / dims[0];
            return all.AsSpan(b * width, width).ToArray();
        }
        int steps = c.TimeMajorOutput ? dims[0] : dims[1], batch = c.TimeMajorOutput ? dims[1] : dims[0], features = dims[2];
        var row = new List<float>();
        for (int t = 0; t < steps; t++)
        {
            int start = c.TimeMajorOutput ? (t * batch + b) * features : (b * steps + t) * features;
            row.AddRange(all.AsSpan(start, features).ToArray());
        }
        return row.ToArray();
    }
}
