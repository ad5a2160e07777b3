using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// Reference fixtures from tests/fixtures/models: <c>NAME.json</c> (the weights file) and
/// <c>NAME.expected.json</c> (inputs and outputs computed by TensorFlow.js or PyTorch, never by LstmGen).
/// </summary>
internal static class Fixtures
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static IEnumerable<string> Names()
        => System.IO.Directory.GetFiles(Directory, "*.expected.json")
            .Select(p => Path.GetFileName(p)[..^".expected.json".Length])
            .OrderBy(n => n, StringComparer.Ordinal);

    public static string ModelPath(string name) => Path.Combine(Directory, name + ".json");

    public static string ModelJson(string name) => File.ReadAllText(ModelPath(name));

    public static FixtureExpectation Expected(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".expected.json")));
        JsonElement root = doc.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new FixtureCase(
            c.GetProperty("timesteps").GetInt32(),
            c.GetProperty("input").EnumerateArray().Select(Float).ToArray(),
            c.GetProperty("output").EnumerateArray().Select(Float).ToArray())).ToList();
        return new FixtureExpectation(root.GetProperty("source").GetString() ?? "", root.GetProperty("features").GetInt32(), cases);
    }

    /// <summary>The C# class name a fixture compiles into.</summary>
    public static string ClassName(string name, bool unrolled) => "Fixture_" + name + (unrolled ? "_Unrolled" : "");

    private static float Float(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => (float)e.GetDouble(),
        JsonValueKind.String => float.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture), // "NaN", "Infinity"
        _ => throw new FormatException("Unexpected value " + e),
    };
}

internal sealed record FixtureExpectation(string Source, int Features, IReadOnlyList<FixtureCase> Cases);

internal sealed record FixtureCase(int Timesteps, float[] Input, float[] Output);
