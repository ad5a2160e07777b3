using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace LstmGen.Import;

/// <summary>
/// What an importer read from a model file: the Keras topology (if the file has one), the weights by the names
/// the file gives them, and how those names map to layers (<see cref="WeightsLayout"/>). The generator attaches the
/// weights to the layers, so this mapping lives in one place for every source format.
/// </summary>
/// <remarks>
/// Written as JSON by <see cref="ImportDocumentWriter"/>:
/// <code>
/// { "lstmgen_import": { "version": 1, "source": "m.h5", "format": "Keras 2 HDF5 model (model.save)",
///                       "layout": "keras2", "warnings": [ ... ] },
///   "model": { "class_name": "Sequential", "config": { ... }, "keras_version": "2.15.0" },
///   "weights": [ { "layer": "lstm_1", "name": "lstm_1/lstm_cell/kernel:0", "shape": [8, 256],
///                  "data": "&lt;base64 of little-endian float32&gt;" }, ... ] }
/// </code>
/// A file that could not be read becomes <c>{ "lstmgen_import": { ..., "error": { "message", "where", "help" } } }</c>
/// so the generator reports it at the attribute that names the file.
/// </remarks>
internal sealed class ImportDocument
{
    public ImportDocument(string source, string format, WeightsLayout layout)
    {
        Source = source;
        Format = format;
        Layout = layout;
    }

    /// <summary>The file name of the model as the user has it (for messages; never a full path).</summary>
    public string Source { get; }

    /// <summary>A human description of the format, e.g. "TensorFlow.js Layers model (model.json + 2 shards)".</summary>
    public string Format { get; }

    public WeightsLayout Layout { get; }

    /// <summary>The Keras topology (class_name, config, keras_version), or null for a weights-only file.
    /// Importers put <c>keras_version</c> into it when the file has it elsewhere (a .keras archive's metadata.json).</summary>
    public JsonObject? Model { get; set; }

    /// <summary>Weights in the order the format defines for its layout (see <see cref="WeightsLayout"/>).</summary>
    public List<NamedWeight> Weights { get; } = new();

    /// <summary>Things the user should know that do not stop the import (e.g. a float16 shard was widened).</summary>
    public List<string> Warnings { get; } = new();
}

/// <summary>How the weight names of an <see cref="ImportDocument"/> map to the topology's layers.</summary>
internal enum WeightsLayout
{
    /// <summary>TensorFlow.js manifest names: "[model_name/]layer[/forward_x|backward_x][/cell]/kernel"; layer is null.</summary>
    Tfjs,

    /// <summary>Keras 2 HDF5 (model_weights group or save_weights file): layer = the layer's name from <c>layer_names</c>,
    /// weights in that layer's <c>weight_names</c> order (which is get_weights() order).</summary>
    Keras2,

    /// <summary>Keras 3 <c>.weights.h5</c> / <c>.keras</c>: layer = the key under "layers/" (snake-case class name with a
    /// counter: lstm, lstm_1, bidirectional); weights in get_weights() order: the layer's own vars, then cell/vars,
    /// then forward_layer/cell/vars and backward_layer/cell/vars, each numerically.</summary>
    Keras3,

    /// <summary>Made by LstmGen (ONNX import): layer = the exact layer name in <see cref="ImportDocument.Model"/>, weights in get_weights() order.</summary>
    Layers,
}

/// <summary>One float32 tensor, row-major in the shape Keras's get_weights() returns it.</summary>
internal sealed class NamedWeight
{
    public NamedWeight(string? layer, string name, int[] shape, float[] data)
    {
        Layer = layer;
        Name = name;
        Shape = shape;
        Data = data;
    }

    public string? Layer { get; }

    public string Name { get; }

    public int[] Shape { get; }

    public float[] Data { get; }
}
