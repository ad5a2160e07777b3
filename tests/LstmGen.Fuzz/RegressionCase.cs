using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Fuzz;

/// <summary>
/// A saved failing input: <c>Regressions/NAME.case</c>, a small JSON file with the input bytes (gzip, base64),
/// how the consumer asked for it, which check failed and how the fuzzer made it. Every case is replayed on every run.
/// </summary>
internal sealed class RegressionCase
{
    [JsonPropertyName("check")]
    public string Check { get; set; } = "";

    [JsonPropertyName("detail")]
    public string Detail { get; set; } = "";

    /// <summary>Optional: "compiles" or "rejected" (with an LSTMGEN error), for cases whose right answer is known.</summary>
    [JsonPropertyName("expect")]
    public string? Expect { get; set; }

    [JsonPropertyName("made_by")]
    public string MadeBy { get; set; } = "";

    [JsonPropertyName("unroll")]
    public bool Unroll { get; set; }

    [JsonPropertyName("decoding")]
    public string Decoding { get; set; } = nameof(Fuzz.Decoding.Build);

    [JsonPropertyName("input_gzip_base64")]
    public string Input { get; set; } = "";

    public static string Directory => Path.Combine(RepoRoot.Path, "tests", "LstmGen.Fuzz", "Regressions");

    private static readonly JsonSerializerOptions s_options = new() { WriteIndented = true };

    public FuzzInput ToInput()
    {
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(Input)), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return new FuzzInput(bytes.ToArray(), Unroll, Enum.Parse<Decoding>(Decoding), MadeBy);
    }

    public static IEnumerable<string> Names()
        => System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.case").Select(p => Path.GetFileNameWithoutExtension(p)).OrderBy(n => n, StringComparer.Ordinal)
            : Enumerable.Empty<string>();

    public static RegressionCase Load(string name)
        => JsonSerializer.Deserialize<RegressionCase>(File.ReadAllText(Path.Combine(Directory, name + ".case")), s_options)
            ?? throw new InvalidDataException(name);

    /// <summary>Saves a failing input under a name made of the check and a hash of the input; returns the name.</summary>
    public static string Save(FuzzInput input, string check, string detail)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(input.Bytes);
        }
        var c = new RegressionCase
        {
            Check = check,
            Detail = Mutator.Printable(detail.Length > 2000 ? detail[..2000] + "..." : detail).Replace("\\u000a", "\n"),
            MadeBy = input.Description,
            Unroll = input.Unroll,
            Decoding = input.Decoding.ToString(),
            Input = Convert.ToBase64String(compressed.ToArray()),
        };
        string hash = Convert.ToHexString(SHA256.HashData(input.Bytes))[..12].ToLowerInvariant();
        string name = check + "-" + hash + (input.Unroll ? "-unroll" : "") + (input.Decoding == Fuzz.Decoding.Lenient ? "-lenient" : "");
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, name + ".case"), JsonSerializer.Serialize(c, s_options) + "\n");
        return name;
    }
}
