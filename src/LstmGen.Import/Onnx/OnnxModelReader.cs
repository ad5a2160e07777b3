using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>ONNX graphs whose recurrent part is LSTM / GRU / RNN nodes, translated to a Keras-style topology.</summary>
internal static class OnnxModelReader
{
    public static ImportDocument Read(string path)
    {
        ModelProto model;
        try
        {
            using FileStream stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ImportException("the ONNX file is damaged or truncated (protobuf: " + e.Message + ")", help: "export the model again", inner: e);
        }
        var graph = new OnnxGraph(model, path);
        string producer = (model.ProducerName + " " + model.ProducerVersion).Trim();
        var document = new ImportDocument(Path.GetFileName(path),
            "ONNX model (opset " + graph.Opset + (producer.Length > 0 ? ", " + producer : "") + ")", WeightsLayout.Layers);
        var builder = new KerasModelBuilder();
        GraphWalker.Walk(graph, builder, document.Warnings);
        string name = new string((graph.Graph.Name.Length > 0 ? graph.Graph.Name : Path.GetFileNameWithoutExtension(path))
            .Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        document.Model = builder.Build(name);
        document.Weights.AddRange(builder.Weights);
        return document;
    }
}
