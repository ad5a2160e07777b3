using System.Collections.Generic;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>Published Keras 3 .keras archives import with the values h5py reads from their model.weights.h5.</summary>
public sealed class KerasArchiveRealWorldTests
{
    public static IEnumerable<object[]> Files() => TfjsKerasRealWorld.Cases("Keras3");

    [Theory]
    [MemberData(nameof(Files))]
    public void Real_keras_archive_imports_with_h5py_values(string relative)
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path(relative));
        Assert.StartsWith("3.", document.Model!["keras_version"]!.GetValue<string>());
        Assert.Equal("Sequential", document.Model["class_name"]!.GetValue<string>());
        Assert.Empty(document.Warnings);
        TfjsKerasRealWorld.AssertMatchesExpected(relative, document);
    }

    [Fact]
    public void Archive_format_names_the_keras_version()
    {
        ImportDocument document = ModelImporter.Import(TfjsKerasRealWorld.Path("komei_lstm2_keras/lstm_model.keras"));
        Assert.Equal("Keras 3.3.3 archive (.keras)", document.Format);
    }
}
