using System.IO;
using System.Linq;
using LstmGen.Import;
using Onnx;

namespace LstmGen.Tests.Import;

/// <summary>ONNX graphs LstmGen must not translate, and damaged or hostile files: an ImportException naming the spot.</summary>
public sealed class OnnxImportRejectionTests
{
    private static ImportException Rejects(string path) => Assert.Throws<ImportException>(() => ModelImporter.Import(path));

    [Fact]
    public void Bidirectional_output_at_the_last_timestep_is_not_keras_bidirectional()
    {
        ImportException e = Rejects(OnnxReference.Fixture("bilstm_last_step.onnx"));
        Assert.Contains("'/Gather' (Gather)", e.Message);
        Assert.Contains("backward direction has seen only that step", e.Message);
        Assert.Equal("node '/Gather' (Gather)", e.Where);
    }

    [Fact]
    public void Reverse_node_whole_sequence_is_rejected()
    {
        ImportException e = Rejects(OnnxReference.Fixture("reverse_lstm_sequence.onnx"));
        Assert.Contains("reverse-direction node 'reverse_lstm' (LSTM)", e.Message);
        Assert.Equal("node 'reverse_lstm' (LSTM)", e.Where);
    }

    [Fact]
    public void Log_softmax_has_no_keras_activation()
    {
        ImportException e = Rejects(OnnxReference.RealWorld("lemon_mnist_lstm_onnx", "lstm.onnx"));
        Assert.Contains("node producing '45' (LogSoftmax) is not supported", e.Message);
        Assert.Contains("Softmax", e.Help);
    }

    [Fact]
    public void Truncated_protobuf()
    {
        byte[] bytes = File.ReadAllBytes(OnnxReference.RealWorld("bernhard_lstm_onnx", "lstm.onnx"));
        string path = OnnxModelEdits.Save(new ModelProto());
        File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());
        ImportException e = Rejects(path);
        Assert.Contains("damaged or truncated", e.Message);
    }

    [Fact]
    public void Unsupported_operator_is_named()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        OnnxModelEdits.Node(model, "/Sigmoid").OpType = "Hardmax";
        ImportException e = Rejects(OnnxModelEdits.Save(model));
        Assert.Contains("node '/Sigmoid' (Hardmax) is not supported", e.Message);
        Assert.Equal("node '/Sigmoid' (Hardmax)", e.Where);
        Assert.Contains("LSTM, GRU, RNN", e.Help);
    }

    [Fact]
    public void Loop_subgraphs_point_to_the_keras_file()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        OnnxModelEdits.Node(model, "/rnn/RNN").OpType = "Loop";
        ImportException e = Rejects(OnnxModelEdits.Save(model));
        Assert.Contains("Loop subgraphs", e.Message);
        Assert.Contains(".keras", e.Help);
    }

    [Fact]
    public void Clip_has_no_keras_equivalent()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("lstm2_softmax_opset14.onnx"));
        OnnxModelEdits.Node(model, "/lstm/LSTM").Attribute.Add(new AttributeProto { Name = "clip", F = 3, Type = AttributeProto.Types.AttributeType.Float });
        ImportException e = Rejects(OnnxModelEdits.Save(model));
        Assert.Contains("node '/lstm/LSTM' (LSTM): the clip attribute", e.Message);
    }

    [Fact]
    public void Non_zero_initial_state_is_rejected()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        AttributeProto value = OnnxModelEdits.Node(model, "/rnn/ConstantOfShape").Attribute.Single(a => a.Name == "value");
        value.T.RawData = Google.Protobuf.ByteString.CopyFrom(System.BitConverter.GetBytes(0.5f));
        ImportException e = Rejects(OnnxModelEdits.Save(model));
        Assert.Contains("not provably zero", e.Message);
    }

    [Fact]
    public void Raw_data_length_must_match_dims()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        TensorProto weight = OnnxModelEdits.Initializer(model, "fc.weight");
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(weight.RawData.ToByteArray().Skip(4).ToArray());
        ImportException e = Rejects(OnnxModelEdits.Save(model));
        Assert.Contains("initializer 'fc.weight' holds 52 bytes but its dims need 56", e.Message);
        Assert.Equal("initializer 'fc.weight'", e.Where);
    }

    [Fact]
    public void External_data_outside_the_model_directory_is_refused()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        TensorProto weight = OnnxModelEdits.Initializer(model, "fc.weight");
        byte[] bytes = weight.RawData.ToByteArray();
        OnnxModelEdits.MakeExternal(weight, "../outside.bin");
        string path = OnnxModelEdits.Save(model);
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(path)!, "..", "outside.bin"), bytes);
        ImportException e = Rejects(path);
        Assert.Contains("initializer 'fc.weight' (external data) '../outside.bin' points outside the model's directory", e.Message);
    }

    [Fact]
    public void External_data_beyond_its_file_is_refused()
    {
        ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        TensorProto weight = OnnxModelEdits.Initializer(model, "fc.weight");
        byte[] bytes = weight.RawData.ToByteArray();
        OnnxModelEdits.MakeExternal(weight, "weights.bin", offset: 40, length: bytes.Length);
        string path = OnnxModelEdits.Save(model);
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(path)!, "weights.bin"), bytes);
        ImportException e = Rejects(path);
        Assert.Contains("initializer 'fc.weight': external data [40, 96) runs past the end of 'weights.bin' (56 bytes)", e.Message);
    }
}
