using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// Every weight tensor the kernels read is a slice of the aligned block, and the block's copy puts its constant at that
/// very slice: the same offset and length, offsets on cache lines, no two tensors sharing a float.
/// </summary>
public sealed class AlignedWeightsTests
{
    private static readonly Regex s_view = new(@"internal static ReadOnlySpan<float> (\w+) => AlignedWeights\.Slice\((\d+), (\d+)\);", RegexOptions.Compiled);
    // A tensor is copied from its constant, or decoded into its place when it is stored as base64.
    private static readonly Regex s_copy = new(@"(?:EncodedWeights\.Decode)?(\w+)Source(?:\.CopyTo)?\(values\.Slice\((\d+), (\d+)\)\);", RegexOptions.Compiled);
    private static readonly Regex s_source = new(@"(?:private static ReadOnlySpan<float> (\w+)Source =>|internal static void Decode(\w+)Source\(Span<float> destination\))", RegexOptions.Compiled);
    private static readonly Regex s_allocate = new(@"WeightBlock\.Allocate\((\d+)\)", RegexOptions.Compiled);

    public static TheoryData<string> FixtureNames => new(Fixtures.Names());

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Each_view_is_the_slice_its_constant_is_copied_to(string name)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("[LstmGen.LstmModel(\"m.json\")] public static partial class M { }", ("/p/m.json", Fixtures.ModelJson(name)));
        string source = outcome.SingleSource;

        var views = s_view.Matches(source).ToDictionary(m => m.Groups[1].Value, m => (Offset: int.Parse(m.Groups[2].Value), Length: int.Parse(m.Groups[3].Value)));
        var copies = s_copy.Matches(source).ToDictionary(m => m.Groups[1].Value, m => (Offset: int.Parse(m.Groups[2].Value), Length: int.Parse(m.Groups[3].Value)));
        var constants = s_source.Matches(source).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet();
        Assert.NotEmpty(views);
        Assert.Equal(views.Keys.OrderBy(k => k, StringComparer.Ordinal), copies.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(views.Keys.OrderBy(k => k, StringComparer.Ordinal), constants.OrderBy(k => k, StringComparer.Ordinal));
        foreach ((string tensor, (int Offset, int Length) view) in views)
        {
            Assert.Equal(view, copies[tensor]);
            Assert.True(view.Offset % 16 == 0, $"{tensor} starts at float {view.Offset}, not on a 64-byte line");
        }
        int total = int.Parse(Assert.Single(s_allocate.Matches(source)).Groups[1].Value);
        int end = 0;
        foreach ((int Offset, int Length) view in views.Values.OrderBy(v => v.Offset))
        {
            Assert.True(view.Offset >= end, $"a tensor at {view.Offset} overlaps the one ending at {end}");
            end = view.Offset + view.Length;
        }
        Assert.True(end <= total, $"the tensors end at {end}, past the block's {total} floats");
    }
}
