using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace LstmGen.Tests.Import;

/// <summary>Edited copies of ONNX test models, written to a fresh temporary directory (the originals stay untouched).</summary>
internal static class OnnxModelEdits
{
    public static ModelProto Load(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    /// <summary>Writes <paramref name="model"/> as model.onnx in a new directory and returns its path.</summary>
    public static string Save(ModelProto model, string? name = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "lstmgen-onnx-" + Guid.NewGuid().ToString("N"), "model");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name ?? "model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public static NodeProto Node(ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    public static TensorProto Initializer(ModelProto model, string name) => model.Graph.Initializer.Single(i => i.Name == name);

    /// <summary>Moves an initializer's bytes to <paramref name="location"/> (relative to the model's directory).</summary>
    public static void MakeExternal(TensorProto tensor, string location, long offset = 0, long? length = null)
    {
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
        if (length is long l) tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString() });
        tensor.ClearRawData();
    }
}
