using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// The generated source is a pure function of the weights file and the attribute: every weight reaches the
/// compiled code with its exact float32 bits, and the text does not depend on the run or on the order in
/// which Roslyn sees the classes. (Culture independence: <see cref="FloatLiteralTests"/>.)
/// </summary>
public sealed class DeterminismTests
{
    public static TheoryData<string> FixtureNames => new(Fixtures.Names());

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_weight_compiles_to_the_json_value_rounded_to_float32(string name)
    {
        string json = Fixtures.ModelJson(name);
        GeneratorOutcome outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"m.json\")] public static partial class M { }", ("/p/m.json", json));
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);

        // What the compiler stores: the constant value of every element of every weight table, in source order.
        SyntaxTree generated = outcome.Compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal));
        SemanticModel semantic = outcome.Compilation.GetSemanticModel(generated);
        var compiled = new List<float>();
        var tables = new Dictionary<string, float[]>();
        foreach (PropertyDeclarationSyntax property in generated.GetRoot().DescendantNodes().OfType<PropertyDeclarationSyntax>())
        {
            // The constants are the Source properties; the kernels read their copies in the aligned block.
            if (property.Type.ToString() != "ReadOnlySpan<float>" || !property.Identifier.Text.EndsWith("Source", StringComparison.Ordinal)) continue;
            InitializerExpressionSyntax? initializer = property.DescendantNodes().OfType<InitializerExpressionSyntax>().SingleOrDefault();
            // A large tensor: the float bits in a string constant, two characters per float, low half first.
            float[] values = initializer is null
                ? StringWeights(semantic, property).ToArray()
                : initializer.Expressions.Select(e => Assert.IsType<float>(semantic.GetConstantValue(e).Value)).ToArray();
            string table = property.Identifier.Text.Substring(0, property.Identifier.Text.Length - "Source".Length);
            tables.Add(table, values);
            // Padded and packed copies (small LSTMs run in registers) are checked against their source tables below.
            if (!table.Contains("Padded", StringComparison.Ordinal) && !table.Contains("Packed", StringComparison.Ordinal)) compiled.AddRange(values);
        }
        foreach ((string table, float[] padded) in tables.Where(t => t.Key.Contains("Padded", StringComparison.Ordinal)))
        {
            AssertPaddedCopy(table, padded, tables[table.Replace("Padded", string.Empty, StringComparison.Ordinal)]);
        }
        AssertPackedCopies(tables);

        // What the file says, read by System.Text.Json (not LstmGen's reader), each number rounded to float32 as
        // numpy does when Keras loads weights: decimal → double → float32.
        using JsonDocument document = JsonDocument.Parse(json);
        var expected = new List<float>();
        CollectWeights(document.RootElement, expected);

        Assert.Equal(expected.Count, compiled.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(compiled[i]),
                $"weight {i}: the file says {expected[i]:R}, the compiled model holds {compiled[i]:R}");
        }
    }

    /// <summary>
    /// A stage packed side by side (Stage{n}PackedKernel / PackedBias) holds its layers' kernels, recurrent kernels and
    /// biases rearranged, and zeros: the non-zero values of the packed tables are exactly those of the tables of the
    /// layers that run in registers (one packed stage per fixture here). An encoded packed kernel is not a property.
    /// </summary>
    private static void AssertPackedCopies(Dictionary<string, float[]> tables)
    {
        static List<int> NonZeroBits(IEnumerable<float[]> values) => values.SelectMany(v => v).Where(v => v != 0f).Select(BitConverter.SingleToInt32Bits).OrderBy(b => b).ToList();
        var layers = tables.Keys.Where(k => k.EndsWith("PaddedRecurrentKernel", StringComparison.Ordinal)).Select(k => k.Substring(0, k.Length - "PaddedRecurrentKernel".Length)).ToList();
        foreach ((string suffix, string[] parts) in new[] { ("PackedKernel", new[] { "Kernel", "RecurrentKernel" }), ("PackedBias", new[] { "Bias" }) })
        {
            var packed = tables.Where(t => t.Key.StartsWith("Stage", StringComparison.Ordinal) && t.Key.EndsWith(suffix, StringComparison.Ordinal)).Select(t => t.Value).ToList();
            if (packed.Count == 0) continue;
            var sources = layers.SelectMany(l => parts.Select(p => l + p)).Where(tables.ContainsKey).Select(t => tables[t]);
            Assert.Equal(NonZeroBits(sources), NonZeroBits(packed));
        }
    }

    /// <summary>A padded table holds rows of 4 gates × 16 floats: each gate's columns of the source row, then zeros.</summary>
    private static void AssertPaddedCopy(string name, float[] padded, float[] source)
    {
        int rows = padded.Length / 64;
        Assert.True(rows > 0 && padded.Length == rows * 64 && source.Length % (4 * rows) == 0, name);
        int units = source.Length / (4 * rows);
        for (int r = 0; r < rows; r++)
        {
            for (int g = 0; g < 4; g++)
            {
                for (int j = 0; j < 16; j++)
                {
                    float expected = j < units ? source[r * 4 * units + g * units + j] : 0f;
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(padded[(r * 4 + g) * 16 + j]),
                        $"{name}[{r}, {g}, {j}] is {padded[(r * 4 + g) * 16 + j]:R}, expected {expected:R}");
                }
            }
        }
    }

    private static IEnumerable<float> StringWeights(SemanticModel semantic, PropertyDeclarationSyntax property)
    {
        LiteralExpressionSyntax literal = property.DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
        string bits = Assert.IsType<string>(semantic.GetConstantValue(literal).Value);
        Assert.True(bits.Length % 2 == 0, property.Identifier.Text);
        for (int i = 0; i < bits.Length; i += 2)
        {
            yield return BitConverter.Int32BitsToSingle(bits[i] | (bits[i + 1] << 16));
        }
    }

    [Fact]
    public void Large_tensors_are_stored_as_string_constants_and_small_ones_as_float_literals()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"m.json\")] public static partial class M { }", ("/p/m.json", Fixtures.ModelJson("wide_lstm64_features16")));
        string source = outcome.SingleSource;
        Assert.Contains("private static ReadOnlySpan<float> Layer1RecurrentKernelSource => MemoryMarshal.Cast<char, float>(\n", source);
        Assert.Contains("private static ReadOnlySpan<float> Layer1BiasSource => new float[]", source);
    }

    [Fact]
    public void Generated_source_is_identical_across_runs_and_declaration_orders()
    {
        (string Path, string Text)[] files =
        {
            ("/p/a.json", Fixtures.ModelJson("tutorial_3x_lstm10_t10")),
            ("/p/b.json", Fixtures.ModelJson("variable_length_go_backwards_in_middle")),
        };
        const string A = "[LstmGen.LstmModel(\"a.json\")] public static partial class A { }";
        const string B = "namespace N { [LstmGen.LstmModel(\"b.json\", Unroll = false)] internal static partial class B { } }";

        Dictionary<string, string> first = Sources(GeneratorHarness.Run(new[] { A + "\n" + B }, files));
        Dictionary<string, string> again = Sources(GeneratorHarness.Run(new[] { A + "\n" + B }, files));
        Dictionary<string, string> swapped = Sources(GeneratorHarness.Run(new[] { B + "\n" + A }, files));
        Dictionary<string, string> split = Sources(GeneratorHarness.Run(new[] { B, A }, files.Reverse().ToArray()));

        Assert.Equal(2, first.Count);
        Assert.Equal(first, again);
        Assert.Equal(first, swapped);
        Assert.Equal(first, split);
    }

    private static Dictionary<string, string> Sources(GeneratorOutcome outcome)
        => outcome.Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static void CollectWeights(JsonElement element, List<float> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.Name != "weights")
                {
                    CollectWeights(property.Value, into);
                    continue;
                }
                string? className = element.TryGetProperty("class_name", out JsonElement c) ? c.GetString() : null;
                if (className == "Conv1D")
                {
                    JsonElement settings = element.GetProperty("config");
                    AddConvolution(property.Value, settings.TryGetProperty("groups", out JsonElement g) ? g.GetInt32() : 1, into);
                    continue;
                }
                if (className is "DepthwiseConv1D" or "SeparableConv1D")
                {
                    AddDepthwise(property.Value, into);
                    continue;
                }
                float[][][] arrays = property.Value.EnumerateArray().Select(Matrix).ToArray();
                if (className == "Bidirectional")
                {
                    // The forward layer's arrays, then the backward layer's (both directions have use_bias alike here).
                    JsonElement config = element.GetProperty("config");
                    string? forward = config.GetProperty("layer").GetProperty("class_name").GetString();
                    string? backward = config.TryGetProperty("backward_layer", out JsonElement b) && b.ValueKind == JsonValueKind.Object
                        ? b.GetProperty("class_name").GetString()
                        : forward;
                    int half = arrays.Length / 2;
                    AddLayer(forward, arrays.Take(half).ToArray(), into);
                    AddLayer(backward, arrays.Skip(half).ToArray(), into);
                }
                else
                {
                    AddLayer(className, arrays, into);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray()) CollectWeights(item, into);
        }
    }

    /// <summary>
    /// A layer's arrays in generated storage order. Only GRU is regrouped; every other layer, including
    /// TimeDistributed(Dense) (the Dense's kernel and bias) and BatchNormalization / LayerNormalization (gamma, beta,
    /// moving_mean, moving_variance as present, emitted raw in get_weights() order), is stored as the file lists it.
    /// </summary>
    private static void AddLayer(string? className, float[][][] arrays, List<float> into)
    {
        if (className == "GRU") AddGru(arrays, into);
        else foreach (float[][] array in arrays) AddStored(array, into);
    }

    /// <summary>
    /// Conv1D is stored one matrix per kernel tap and group (SequenceLayerEmitter): tap k, group g is the kernel's
    /// (in / groups, filters / groups) block kernel[k, :, g·filters/groups ...], each in panels; then the bias.
    /// </summary>
    private static void AddConvolution(JsonElement weights, int groups, List<float> into)
    {
        JsonElement[] arrays = weights.EnumerateArray().ToArray();
        float[][][] kernel = arrays[0].EnumerateArray().Select(Matrix).ToArray();
        int filters = kernel[0][0].Length, groupFilters = filters / groups;
        foreach (float[][] tap in kernel)
        {
            for (int g = 0; g < groups; g++)
            {
                AddStored(tap.Select(row => row.Skip(g * groupFilters).Take(groupFilters).ToArray()).ToArray(), into);
            }
        }
        foreach (JsonElement rest in arrays.Skip(1)) AddStored(Matrix(rest), into);
    }

    /// <summary>
    /// DepthwiseConv1D is the Conv1D with groups = in and the kernel (k, 1, in · m): per tap, one 1 × m matrix per input
    /// channel, depthwise_kernel[k, c, :]; then the bias. SeparableConv1D is that (no bias), then the kernel-1 Conv1D:
    /// the pointwise_kernel's one tap (in · m, filters), then the bias.
    /// </summary>
    private static void AddDepthwise(JsonElement weights, List<float> into)
    {
        JsonElement[] arrays = weights.EnumerateArray().ToArray();
        foreach (float[][] tap in arrays[0].EnumerateArray().Select(Matrix))
        {
            foreach (float[] channel in tap) AddStored(new[] { channel }, into);
        }
        foreach (JsonElement rest in arrays.Skip(1)) AddStored(rest[0].ValueKind == JsonValueKind.Array && rest[0][0].ValueKind == JsonValueKind.Array ? Matrix(rest[0]) : Matrix(rest), into);
    }

    /// <summary>A weight array as rows (a vector is one row), each number rounded to float32.</summary>
    private static float[][] Matrix(JsonElement array)
        => array[0].ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray()
            : new[] { array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray() };

    /// <summary>
    /// Adds a table in the generated storage order: a matrix in column panels of 128 (all rows of columns
    /// 0-127, then of 128-255, ...), the documented layout of PanelLayout; for a vector (one row) that is its order.
    /// </summary>
    private static void AddStored(float[][] rows, List<float> into)
    {
        int columns = rows[0].Length;
        for (int start = 0; start < columns; start += 128)
        {
            foreach (float[] row in rows) into.AddRange(row.Skip(start).Take(128));
        }
    }

    /// <summary>
    /// A GRU is stored regrouped (GruWeights): the z, r columns apart from the candidate's, and with reset_after
    /// the z, r input and recurrent biases summed in float32.
    /// </summary>
    private static void AddGru(float[][][] w, List<float> into)
    {
        int u = w[1].Length;
        float[][] Columns(float[][] m, int start, int count) => m.Select(r => r.Skip(start).Take(count).ToArray()).ToArray();
        AddStored(Columns(w[0], 0, 2 * u), into);
        AddStored(Columns(w[0], 2 * u, u), into);
        AddStored(Columns(w[1], 0, 2 * u), into);
        AddStored(Columns(w[1], 2 * u, u), into);
        if (w.Length < 3) return;
        float[][] bias = w[2];
        if (bias.Length == 1)
        {
            into.AddRange(bias[0].Take(2 * u));
            into.AddRange(bias[0].Skip(2 * u));
            return;
        }
        into.AddRange(bias[0].Take(2 * u).Zip(bias[1].Take(2 * u), (a, b) => a + b));
        into.AddRange(bias[0].Skip(2 * u));
        into.AddRange(bias[1].Skip(2 * u));
    }
}
