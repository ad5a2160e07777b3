using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using LstmGen.Import;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Import;

/// <summary>float16 and uint16 shards (tests/fixtures/import, made by make_tfjs_dtype_fixtures.py) decode to numpy's float32 bits.</summary>
public sealed class TfjsDtypeFixtureTests
{
    [Theory]
    [InlineData("tfjs_float16", "TensorFlow.js Layers model (tfjs_float16.json + 1 shard, float16, float16-quantized)")]
    [InlineData("tfjs_uint16", "TensorFlow.js Layers model (tfjs_uint16.json + 1 shard, uint16-quantized)")]
    public void Fixture_decodes_to_numpy_values(string name, string format)
    {
        string directory = Path.Combine(RepoRoot.Path, "tests", "fixtures", "import");
        ImportDocument document = ModelImporter.Import(Path.Combine(directory, name + ".json"));
        Assert.Equal(format, document.Format);
        JsonObject expected = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, name + ".expected.json")))!.AsObject();
        Assert.Equal(expected.Select(p => p.Key), document.Weights.Select(w => w.Name));
        foreach (NamedWeight weight in document.Weights)
        {
            uint[] bits = expected[weight.Name]!.AsArray().Select(v => v!.GetValue<uint>()).ToArray();
            Assert.Equal(bits, weight.Data.Select(BitConverter.SingleToUInt32Bits).ToArray());
        }
    }
}
