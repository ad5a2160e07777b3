using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using LstmGen.Generator;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Tests.Emitting;

/// <summary>Weights must reach the compiled model bit for bit, and the generated text must not depend on the culture.</summary>
public sealed class FloatLiteralTests
{
    [Fact]
    public void Every_literal_compiles_back_to_the_identical_float32_bits()
    {
        var random = new Random(20261123);
        float[] values = Enumerable.Range(0, 20_000).Select(_ => BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue)))
            .Concat(new[] { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1f / 3, 0.1f, 1e-45f, 1.17549435e-38f, 16777217f, float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            .ToArray();
        string source = "static class C { static readonly float[] V = { " + string.Join(", ", values.Select(FloatLiteral.Format)) + " }; }";
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        SemanticModel model = compilation.GetSemanticModel(compilation.SyntaxTrees[0]);
        var elements = compilation.SyntaxTrees[0].GetRoot().DescendantNodes().OfType<InitializerExpressionSyntax>().Single().Expressions;

        Assert.Equal(values.Length, elements.Count);
        for (int i = 0; i < values.Length; i++)
        {
            object? constant = model.GetConstantValue(elements[i]).Value;
            float parsed = Assert.IsType<float>(constant);
            Assert.True(BitConverter.SingleToInt32Bits(parsed) == BitConverter.SingleToInt32Bits(values[i]) || (float.IsNaN(parsed) && float.IsNaN(values[i])),
                $"{values[i]:R} was written as {elements[i]} and compiles to {parsed:R}");
        }
    }

    [Fact]
    public void Generated_source_is_identical_under_any_culture()
    {
        string json = Fixtures.ModelJson("odd_lstm33");
        string Generate() => GeneratorHarness.Run("[LstmGen.LstmModel(\"m.json\")] public static partial class M { }", ("/p/m.json", json)).SingleSource;

        CultureInfo original = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = Generate();
            Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE"); // comma decimal separator
            string german = Generate();
            Thread.CurrentThread.CurrentCulture = new CultureInfo("ar-SA");
            string arabic = Generate();
            Assert.Equal(invariant, german);
            Assert.Equal(invariant, arabic);
            Assert.Contains("0.", invariant);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = original;
        }
    }
}
