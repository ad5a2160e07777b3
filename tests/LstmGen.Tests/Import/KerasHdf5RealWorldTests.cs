using System.Collections.Generic;
using LstmGen.Import;
using LstmGen.Import.Keras;

namespace LstmGen.Tests.Import;

/// <summary>Published Keras HDF5 files (model.save of Keras 2.2 to 3.5, save_weights) import with h5py's values.</summary>
public sealed class KerasHdf5RealWorldTests
{
    public static IEnumerable<object[]> Files() => TfjsKerasRealWorld.Cases("Keras2");

    [Theory]
    [MemberData(nameof(Files))]
    public void Real_hdf5_file_imports_with_h5py_values(string relative)
    {
        ImportDocument document = relative.StartsWith("agampandeyy")
            ? ModelImporter.Import(TfjsKerasRealWorld.Path("agampandeyy_sarcasm_h5/model.json"), TfjsKerasRealWorld.Path(relative))
            : ModelImporter.Import(TfjsKerasRealWorld.Path(relative));
        Assert.NotNull(document.Model);
        Assert.NotNull(document.Model!["class_name"]);
        Assert.NotNull(document.Model["keras_version"]);
        TfjsKerasRealWorld.AssertMatchesExpected(relative, document);
    }

    [Fact]
    public void Save_weights_file_alone_has_no_model()
    {
        ImportDocument document = KerasHdf5Reader.Read(TfjsKerasRealWorld.Path("agampandeyy_sarcasm_h5/model_weights.h5"));
        Assert.Null(document.Model);
        Assert.Equal(WeightsLayout.Keras2, document.Layout);
        Assert.Equal("Keras 2.15.0 HDF5 weights (save_weights)", document.Format);
    }

    [Fact]
    public void Model_save_carries_version_and_backend_into_the_topology()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("anushree_imdb_bigru_h5/bigru_model.h5"));
        Assert.Equal("2.2.4-tf", document.Model!["keras_version"]!.GetValue<string>());
        Assert.Equal("tensorflow", document.Model["backend"]!.GetValue<string>());
        Assert.Equal("Keras 2.2.4-tf HDF5 model (model.save)", document.Format);
    }

    [Fact]
    public void Keras_2_2_bare_list_sequential_config_is_kept_as_written()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("galalen_arabic_lstm_h5/bilstm_model.h5"));
        Assert.IsType<System.Text.Json.Nodes.JsonArray>(document.Model!["config"]);
    }

    [Fact]
    public void Hdf5_named_keras_is_read_as_hdf5()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("sailesh_bilstm_keras_hdf5/bilstm_model.keras"));
        Assert.Equal(WeightsLayout.Keras2, document.Layout);
        Assert.Equal("2.10.0", document.Model!["keras_version"]!.GetValue<string>());
    }
}
