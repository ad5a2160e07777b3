using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using PureHDF;

namespace LstmGen.Import.Keras;

/// <summary>Keras 3 .keras archives (zip: config.json, model.weights.h5, metadata.json); other entries are ignored.</summary>
internal static class KerasArchiveReader
{
    private const long MaxJsonBytes = 64L << 20;
    private const long MaxWeightsBytes = 1L << 31;

    public static ImportDocument Read(string path)
    {
        string fileName = Path.GetFileName(path);
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new ImportException("'" + fileName + "' is not a readable zip archive: " + e.Message, where: fileName,
                help: "copy or download the file again, or save the model again with model.save(\"m.keras\")", inner: e);
        }
        using (archive)
        {
            JsonObject model = KerasTopology.Parse(Encoding.UTF8.GetString(ReadEntry(archive, fileName, "config.json", MaxJsonBytes)), fileName + "/config.json");
            JsonNode? metadata = ParseMetadata(ReadEntry(archive, fileName, "metadata.json", MaxJsonBytes), fileName);
            KerasTopology.AddMissing(model, "keras_version", metadata?["keras_version"] is JsonValue v && v.TryGetValue(out string? version) ? version : null);
            byte[] weights = ReadEntry(archive, fileName, "model.weights.h5", MaxWeightsBytes);

            string where = fileName + "/model.weights.h5";
            ImportDocument inner = Hdf5Guard.Run(where, () =>
            {
                var stream = new MemoryStream(weights, writable: false);
                Hdf5Length.Check(stream, where);
                using var file = H5File.Open(stream);
                return KerasHdf5Reader.ReadOpen(file, where);
            });
            if (inner.Layout != WeightsLayout.Keras3)
            {
                throw new ImportException("model.weights.h5 in '" + fileName + "' is not in Keras 3's layout", where: where,
                    help: "save the model again with Keras 3: model.save(\"m.keras\")");
            }
            string versionText = model["keras_version"] is JsonValue kv && kv.TryGetValue(out string? text) ? " " + text : "";
            var document = new ImportDocument(fileName, "Keras" + versionText + " archive (.keras)", WeightsLayout.Keras3) { Model = model };
            document.Weights.AddRange(inner.Weights);
            document.Warnings.AddRange(inner.Warnings);
            return document;
        }
    }

    private static JsonNode? ParseMetadata(byte[] bytes, string fileName)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ImportException("metadata.json in '" + fileName + "' is not valid JSON: " + e.Message, where: fileName + "/metadata.json",
                help: "save the model again with model.save(\"m.keras\")", inner: e);
        }
    }

    /// <summary>An entry's bytes, refusing one whose claimed or actual size is over the limit or whose sizes disagree.</summary>
    private static byte[] ReadEntry(ZipArchive archive, string fileName, string name, long limit)
    {
        string where = fileName + "/" + name;
        ZipArchiveEntry entry = archive.GetEntry(name)
            ?? throw new ImportException("'" + fileName + "' has no " + name, where: where,
                help: "a .keras archive holds config.json, metadata.json and model.weights.h5; save the model again with model.save(\"m.keras\")");
        if (entry.Length > limit)
        {
            throw new ImportException(name + " in '" + fileName + "' claims " + entry.Length + " bytes, more than the " + (limit >> 20) + " MiB LstmGen reads",
                where: where, help: "LstmGen compiles weights into the assembly; a model this large is out of its reach");
        }
        var bytes = new byte[entry.Length];
        try
        {
            using Stream stream = entry.Open();
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read != bytes.Length || stream.ReadByte() >= 0)
            {
                throw new ImportException(name + " in '" + fileName + "' does not hold the " + entry.Length + " bytes its zip entry claims",
                    where: where, help: "the archive is damaged; save the model again");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImportException(name + " in '" + fileName + "' cannot be decompressed: " + e.Message, where: where,
                help: "the archive is damaged; save the model again", inner: e);
        }
        return bytes;
    }
}
