using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using LstmGen.Import;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Import;

/// <summary>
/// The published model files in shared/realworld beside the repository (never copied into it), and the values
/// h5py / numpy read from them (realworld_expected.json, made by make_expected_values.py).
/// </summary>
internal static class TfjsKerasRealWorld
{
    public static string Directory { get; } = Find();

    private static readonly Lazy<JsonObject> s_expected = new(() => JsonNode.Parse(File.ReadAllText(
        System.IO.Path.Combine(RepoRoot.Path, "tests", "LstmGen.Tests", "Import", "realworld_expected.json")))!.AsObject());

    public static string Path(string relative) => System.IO.Path.Combine(Directory, relative);

    private static string Find()
    {
        for (DirectoryInfo? dir = new(RepoRoot.Path); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "realworld");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("shared/realworld not found beside " + RepoRoot.Path + " or above it");
    }

    /// <summary>A scratch directory with copies of some real files (for damaging them).</summary>
    public static string TempCopy(string directory, params string[] files)
    {
        string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lstmgen-import-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(temp);
        foreach (string file in files)
        {
            File.Copy(Path(System.IO.Path.Combine(directory, file)), System.IO.Path.Combine(temp, file));
            File.SetAttributes(System.IO.Path.Combine(temp, file), FileAttributes.Normal);
        }
        return temp;
    }

    /// <summary>Names, layers, shapes and order equal the independent reader's; sampled values are bit-identical.</summary>
    public static void AssertMatchesExpected(string relative, ImportDocument document)
    {
        JsonObject expected = s_expected.Value[relative]!.AsObject();
        Assert.Equal(expected["layout"]!.GetValue<string>(), document.Layout.ToString());
        JsonArray weights = expected["weights"]!.AsArray();
        Assert.Equal(
            weights.Select(w => (w!["layer"]?.GetValue<string>(), w["name"]!.GetValue<string>(), string.Join(",", w["shape"]!.AsArray().Select(d => d!.GetValue<int>())))),
            document.Weights.Select(w => (w.Layer, w.Name, string.Join(",", w.Shape))));
        for (int i = 0; i < weights.Count; i++)
        {
            NamedWeight actual = document.Weights[i];
            Assert.Equal(actual.Shape.Aggregate(1L, (a, b) => a * b), actual.Data.Length);
            foreach (JsonNode? pair in weights[i]!["values"]!.AsArray())
            {
                int index = pair![0]!.GetValue<int>();
                uint bits = pair[1]!.GetValue<uint>();
                Assert.True(bits == BitConverter.SingleToUInt32Bits(actual.Data[index]),
                    $"{relative} {actual.Name}[{index}]: expected {BitConverter.UInt32BitsToSingle(bits):R}, got {actual.Data[index]:R}");
            }
        }
    }

    public static IEnumerable<object[]> Cases(string layout)
        => s_expected.Value.Where(p => p.Value!["layout"]!.GetValue<string>() == layout).Select(p => new object[] { p.Key });
}
