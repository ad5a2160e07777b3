using System;
using System.IO;
using System.IO.Compression;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>.keras archives missing an entry or holding a damaged one give an ImportException naming the entry.</summary>
public sealed class KerasArchiveHostileInputTests : IDisposable
{
    private readonly string _dir = TfjsKerasRealWorld.TempCopy("komei_lstm2_keras", "lstm_model.keras");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ArchivePath => Path.Combine(_dir, "lstm_model.keras");

    [Theory]
    [InlineData("model.weights.h5")]
    [InlineData("config.json")]
    [InlineData("metadata.json")]
    public void Missing_entry_is_named(string entry)
    {
        using (ZipArchive zip = ZipFile.Open(ArchivePath, ZipArchiveMode.Update)) zip.GetEntry(entry)!.Delete();
        ImportException e = Assert.Throws<ImportException>(() => ModelImporter.Import(ArchivePath));
        Assert.Equal("lstm_model.keras/" + entry, e.Where);
        Assert.NotNull(e.Help);
    }

    [Fact]
    public void Truncated_weights_entry_is_an_import_error()
    {
        using (ZipArchive zip = ZipFile.Open(ArchivePath, ZipArchiveMode.Update))
        {
            ZipArchiveEntry old = zip.GetEntry("model.weights.h5")!;
            byte[] bytes;
            using (var stream = new MemoryStream()) { using (Stream s = old.Open()) s.CopyTo(stream); bytes = stream.ToArray(); }
            old.Delete();
            using Stream target = zip.CreateEntry("model.weights.h5").Open();
            target.Write(bytes, 0, bytes.Length / 3);
        }
        ImportException e = Assert.Throws<ImportException>(() => ModelImporter.Import(ArchivePath));
        Assert.Contains("model.weights.h5", e.Where);
    }

    [Fact]
    public void Other_entries_are_ignored()
    {
        using (ZipArchive zip = ZipFile.Open(ArchivePath, ZipArchiveMode.Update))
        {
            using StreamWriter writer = new(zip.CreateEntry("assets/notes.txt").Open());
            writer.Write("not a weight");
        }
        Assert.Equal(WeightsLayout.Keras3, ModelImporter.Import(ArchivePath).Layout);
    }
}
