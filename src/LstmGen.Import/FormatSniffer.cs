using System;
using System.IO;
using System.Text;

namespace LstmGen.Import;

/// <summary>The kinds of model file, told apart by their bytes: a Keras 2 HDF5 file may be named ".keras".</summary>
internal enum ModelFileKind
{
    Unknown,
    Hdf5,
    Zip,
    /// <summary>A TensorFlow.js Layers model.json (modelTopology + weightsManifest).</summary>
    TfjsJson,
    /// <summary>Any other JSON: LstmGen's own format or a bare Keras topology; nothing to import.</summary>
    OtherJson,
    Onnx,
}

internal static class FormatSniffer
{
    private static readonly byte[] s_hdf5 = { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>How much of a JSON file is searched for "weightsManifest" (tfjs files are topology-sized).</summary>
    private const int JsonProbeBytes = 4 << 20;

    public static ModelFileKind Detect(string path)
    {
        using FileStream stream = File.OpenRead(path);
        var head = new byte[8];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read == 8 && head.AsSpan().SequenceEqual(s_hdf5)) return ModelFileKind.Hdf5;
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4) return ModelFileKind.Zip;

        int start = read >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        int first = start;
        while (first < read && head[first] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') first++;
        if (first < read && head[first] == (byte)'{')
        {
            stream.Position = 0;
            var probe = new byte[(int)Math.Min(JsonProbeBytes, stream.Length)];
            int n = stream.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
            string text = Encoding.UTF8.GetString(probe, 0, n);
            return text.Contains("\"weightsManifest\"", StringComparison.Ordinal) && text.Contains("\"modelTopology\"", StringComparison.Ordinal)
                ? ModelFileKind.TfjsJson
                : ModelFileKind.OtherJson;
        }
        // ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
        if (read >= 2 && head[0] == 0x08) return ModelFileKind.Onnx;
        return ModelFileKind.Unknown;
    }
}
