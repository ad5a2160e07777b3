using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LstmGen.Import;

/// <summary>Writes an <see cref="ImportDocument"/> (or an import error) as the JSON the generator reads.</summary>
internal static class ImportDocumentWriter
{
    public const int FormatVersion = 1;

    public static void Write(Stream stream, ImportDocument document)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = false });
        writer.WriteStartObject();
        writer.WritePropertyName("lstmgen_import");
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("source", document.Source);
        writer.WriteString("format", document.Format);
        writer.WriteString("layout", LayoutName(document.Layout));
        writer.WriteStartArray("warnings");
        foreach (string warning in document.Warnings) writer.WriteStringValue(warning);
        writer.WriteEndArray();
        writer.WriteEndObject();

        if (document.Model is not null)
        {
            writer.WritePropertyName("model");
            document.Model.WriteTo(writer);
        }

        writer.WriteStartArray("weights");
        foreach (NamedWeight weight in document.Weights)
        {
            writer.WriteStartObject();
            if (weight.Layer is not null) writer.WriteString("layer", weight.Layer);
            writer.WriteString("name", weight.Name);
            writer.WriteStartArray("shape");
            foreach (int dim in weight.Shape) writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            writer.WriteBase64String("data", LittleEndianBytes(weight.Data));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteError(Stream stream, string source, ImportException error)
    {
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WritePropertyName("lstmgen_import");
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("source", source);
        writer.WritePropertyName("error");
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        if (error.Where is not null) writer.WriteString("where", error.Where);
        if (error.Help is not null) writer.WriteString("help", error.Help);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string LayoutName(WeightsLayout layout) => layout switch
    {
        WeightsLayout.Tfjs => "tfjs",
        WeightsLayout.Keras2 => "keras2",
        WeightsLayout.Keras3 => "keras3",
        WeightsLayout.Layers => "layers",
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    private static byte[] LittleEndianBytes(float[] data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("LstmGen's import runs on little-endian machines only");
        }
        return MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
    }
}
