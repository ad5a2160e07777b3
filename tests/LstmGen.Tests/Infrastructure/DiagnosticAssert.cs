using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Infrastructure;

/// <summary>Assertions the diagnostics tests share: finding one diagnostic, and where in the weights file it points.</summary>
internal static class DiagnosticAssert
{
    /// <summary>The first diagnostic with <paramref name="id"/>; fails listing all of them when there is none, or on an internal error.</summary>
    public static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id)
    {
        Assert.True(diagnostics.Any(d => d.Id == id), $"expected {id}, got: " + string.Join("\n", diagnostics));
        Assert.DoesNotContain(diagnostics, d => d.Id == "LSTMGEN999");
        return diagnostics.First(d => d.Id == id);
    }

    /// <summary>The diagnostic's weights-file location (its one additional location) is the first occurrence of <paramref name="text"/> in <paramref name="json"/>.</summary>
    public static void PointsAt(Diagnostic diagnostic, string json, string text, string fileSuffix = "m.json")
    {
        int index = json.IndexOf(text, System.StringComparison.Ordinal);
        Assert.True(index >= 0, text);
        int line = json.Take(index).Count(c => c == '\n');
        int column = index - (json.LastIndexOf('\n', index) + 1);
        FileLinePositionSpan span = Assert.Single(diagnostic.AdditionalLocations).GetLineSpan();
        Assert.EndsWith(fileSuffix, span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line, span.StartLinePosition.Character));
    }
}
