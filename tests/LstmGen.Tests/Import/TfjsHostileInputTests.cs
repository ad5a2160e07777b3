using System;
using System.IO;
using System.Text.Json.Nodes;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>Damaged or hostile copies of a real tfjs model give an ImportException that names the spot.</summary>
public sealed class TfjsHostileInputTests : IDisposable
{
    private const string Model = "aksha_stock_lstm";
    private readonly string _dir = TfjsKerasRealWorld.TempCopy(Model, "model.json", "group1-shard1of1.bin");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ModelPath => Path.Combine(_dir, "model.json");

    private ImportException Fails() => Assert.Throws<ImportException>(() => ModelImporter.Import(ModelPath));

    private void EditManifest(Action<JsonObject> edit)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(ModelPath))!.AsObject();
        edit(root);
        File.WriteAllText(ModelPath, root.ToJsonString());
    }

    private JsonObject FirstWeight(JsonObject root) => root["weightsManifest"]![0]!["weights"]![0]!.AsObject();

    [Fact]
    public void Truncated_shard_names_the_weight_and_shard()
    {
        string shard = Path.Combine(_dir, "group1-shard1of1.bin");
        using (var stream = new FileStream(shard, FileMode.Open)) stream.SetLength(stream.Length - 10);
        ImportException e = Fails();
        Assert.Equal("sequential_4/lstm_8/lstm_cell/bias", e.Where);
        Assert.Contains("group1-shard1of1.bin", e.Message);
        Assert.NotNull(e.Help);
    }

    [Fact]
    public void Extra_shard_bytes_are_an_error()
    {
        File.AppendAllText(Path.Combine(_dir, "group1-shard1of1.bin"), "xyz");
        ImportException e = Fails();
        Assert.Contains("3 extra bytes", e.Message);
        Assert.Equal("shard 'group1-shard1of1.bin'", e.Where);
    }

    [Theory]
    [InlineData("missing.bin", "does not exist")]
    [InlineData("../x.bin", "outside the model's directory")]
    [InlineData("/etc/passwd", "absolute path")]
    public void Shard_paths_resolve_only_beside_the_model(string path, string message)
    {
        EditManifest(root => root["weightsManifest"]![0]!["paths"] = new JsonArray(path));
        ImportException e = Fails();
        Assert.Contains(message, e.Message);
        Assert.Contains(path, e.Where);
    }

    [Fact]
    public void Unknown_dtype_is_named()
    {
        EditManifest(root => FirstWeight(root)["dtype"] = "complex64");
        ImportException e = Fails();
        Assert.Equal("sequential_4/dense_8/kernel", e.Where);
        Assert.Contains("complex64", e.Message);
    }

    [Fact]
    public void Shape_that_disagrees_with_the_bytes_is_an_error()
    {
        EditManifest(root => FirstWeight(root)["shape"] = new JsonArray(64, 33));
        Assert.Contains("sequential_4", Fails().Where);
    }

    [Theory]
    [InlineData("[-1, 32]")]
    [InlineData("[4294967296, 32]")]
    [InlineData("[65536, 65536]")]
    public void Negative_or_overflowing_shape_is_an_error(string shape)
    {
        EditManifest(root => FirstWeight(root)["shape"] = JsonNode.Parse(shape));
        Assert.Equal("sequential_4/dense_8/kernel", Fails().Where);
    }

    [Fact]
    public void Non_finite_scale_is_an_error()
    {
        File.WriteAllText(ModelPath, File.ReadAllText(ModelPath).Replace("\"dtype\": \"float32\"}", "\"dtype\": \"float32\", \"quantization\": {\"dtype\": \"uint8\", \"scale\": 1e999, \"min\": 0}}"));
        ImportException e = Fails();
        Assert.Contains("scale", e.Message);
    }

    [Fact]
    public void Mixed_precision_policy_gives_warning_LSTMGEN021()
    {
        File.WriteAllText(ModelPath, File.ReadAllText(ModelPath).Replace("\"name\": \"float32\"", "\"name\": \"mixed_float16\""));
        string document = ImportDocuments.Write(ModelImporter.Import(ModelPath));
        var diagnostics = Infrastructure.GeneratorHarness.RunWithImports(
            new[] { "[LstmGen.LstmModel(\"Models/model.json\")] public static partial class M { }" },
            new (string, string, string?)[] { ("/p/Models/model.json", "{}", null), ("/p/obj/model.lstmgen.json", document, "/p/Models/model.json") }).GeneratorDiagnostics;
        Microsoft.CodeAnalysis.Diagnostic d = Infrastructure.DiagnosticAssert.Single(diagnostics, "LSTMGEN021");
        Assert.Contains("mixed_float16", d.GetMessage());
    }
}
