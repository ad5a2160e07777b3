using System.Collections.Generic;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>Published TensorFlow.js Layers models import with the weights numpy reads from their shards.</summary>
public sealed class TfjsRealWorldTests
{
    public static IEnumerable<object[]> Files() => TfjsKerasRealWorld.Cases("Tfjs");

    [Theory]
    [MemberData(nameof(Files))]
    public void Real_tfjs_model_imports_with_numpy_values(string relative)
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path(relative));
        Assert.Equal(WeightsLayout.Tfjs, document.Layout);
        Assert.NotNull(document.Model);
        Assert.NotNull(document.Model!["class_name"]);
        Assert.NotNull(document.Model["keras_version"]);
        TfjsKerasRealWorld.AssertMatchesExpected(relative, document);
    }

    [Fact]
    public void Quantized_model_says_so_in_its_format()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("aa760_abusive_bilstm3/model.json"));
        Assert.Equal("TensorFlow.js Layers model (model.json + 1 shard, uint8-quantized)", document.Format);
        Assert.Equal("2.7.0", document.Model!["keras_version"]!.GetValue<string>());
        Assert.Equal("tensorflow", document.Model["backend"]!.GetValue<string>());
    }

    [Fact]
    public void Two_weight_groups_read_their_own_shards()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("reiinakano_lstm_keras215/model.json"));
        Assert.Equal("TensorFlow.js Layers model (model.json + 2 shards)", document.Format);
    }

    [Fact]
    public void Tfjs_layers_074_topology_is_taken_as_is()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("jessvb_nietzsche_tfjs074/nietzsche.json"));
        Assert.Equal("tfjs-layers 0.7.4", document.Model!["keras_version"]!.GetValue<string>());
        Assert.Empty(document.Warnings);
    }
}
