using System.IO;
using System.Linq;
using LstmGen.Import;
using Xunit.Abstractions;

namespace LstmGen.Tests.Import;

/// <summary>ONNX files imported, compiled and compared with ONNX Runtime 1.31.1 on the same file.</summary>
public sealed class OnnxImportNumericTests
{
    private readonly ITestOutputHelper _output;

    public OnnxImportNumericTests(ITestOutputHelper output) => _output = output;

    private void Check(OnnxCase c) => _output.WriteLine($"{Path.GetFileName(c.Path)}: largest difference {OnnxReference.Compare(c):G3}");

    [Fact]
    public void Bernhard_lstm_opset14_time_major_batch_1() => Check(new OnnxCase(OnnxReference.RealWorld("bernhard_lstm_onnx", "lstm.onnx"), TimeMajorInput: true));

    [Fact]
    public void Made_bidirectional_gru_final_states() => Check(new OnnxCase(OnnxReference.RealWorld("made_bigru_onnx", "model.onnx"), TimeMajorInput: false, Timesteps: 11));

    [Theory]
    [InlineData("lstm2_softmax_opset14.onnx")]
    [InlineData("lstm2_softmax_opset17.onnx")]
    public void Two_layer_batch_first_lstm_with_softmax(string file) => Check(new OnnxCase(OnnxReference.Fixture(file), TimeMajorInput: false));

    [Fact]
    public void Bidirectional_gru_sequence_then_linear() => Check(new OnnxCase(OnnxReference.Fixture("bigru_sequence.onnx"), TimeMajorInput: false, SequenceOutput: true));

    [Theory]
    [InlineData("rnn_tanh.onnx")]
    [InlineData("rnn_relu.onnx")]
    public void Simple_rnn(string file) => Check(new OnnxCase(OnnxReference.Fixture(file), TimeMajorInput: false));

    [Fact]
    public void Embedding_then_lstm() => Check(new OnnxCase(OnnxReference.Fixture("embedding_lstm.onnx"), TimeMajorInput: false, Vocabulary: 20));

    [Fact]
    public void Reverse_lstm_final_state_is_go_backwards() => Check(new OnnxCase(OnnxReference.Fixture("reverse_lstm_last.onnx"), TimeMajorInput: true));

    [Fact]
    public void Gru_reset_before_with_hard_sigmoid_and_sliced_last_step()
        => Check(new OnnxCase(OnnxReference.Fixture("gru_reset_before_hard_sigmoid.onnx"), TimeMajorInput: true, Timesteps: 13));

    /// <summary>ONNX Runtime does not run layout=1 ("batchwise recurrent operations are not supported"), so its
    /// reference is the same graph in layout 0 with a Transpose in front (the spec's meaning of layout=1).</summary>
    [Fact]
    public void Lstm_with_batch_major_layout()
    {
        string path = OnnxReference.Fixture("lstm_layout1.onnx");
        Onnx.ModelProto twin = OnnxModelEdits.Load(path);
        Onnx.NodeProto lstm = OnnxModelEdits.Node(twin, "lstm");
        lstm.Attribute.Remove(lstm.Attribute.Single(a => a.Name == "layout"));
        lstm.Input[0] = "time_major";
        twin.Graph.Node.Insert(0, new Onnx.NodeProto { OpType = "Transpose", Name = "to_time_major", Input = { "input" }, Output = { "time_major" },
            Attribute = { new Onnx.AttributeProto { Name = "perm", Type = Onnx.AttributeProto.Types.AttributeType.Ints, Ints = { 1, 0, 2 } } } });
        OnnxModelEdits.Initializer(twin, "axes").RawData = Google.Protobuf.ByteString.CopyFrom(new byte[8]);
        Check(new OnnxCase(path, TimeMajorInput: false, ReferencePath: OnnxModelEdits.Save(twin)));
    }

    [Fact]
    public void Reverse_lstm_is_translated_as_go_backwards()
    {
        ImportDocument document = ModelImporter.Import(OnnxReference.Fixture("reverse_lstm_last.onnx"));
        Assert.Contains("\"go_backwards\":true", document.Model!.ToJsonString());
        Assert.Contains("\"return_sequences\":false", document.Model!.ToJsonString());
    }
}

/// <summary>ONNX files edited to exercise what the originals do not: external data, the opset 9 graph without its LogSoftmax.</summary>
public sealed class OnnxImportEditedModelTests
{
    private readonly ITestOutputHelper _output;

    public OnnxImportEditedModelTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void External_data_beside_the_model_is_read()
    {
        Onnx.ModelProto model = OnnxModelEdits.Load(OnnxReference.Fixture("rnn_tanh.onnx"));
        Onnx.TensorProto weight = OnnxModelEdits.Initializer(model, "fc.weight");
        byte[] bytes = weight.RawData.ToByteArray();
        OnnxModelEdits.MakeExternal(weight, "data/fc.bin", offset: 8, length: bytes.Length);
        string path = OnnxModelEdits.Save(model);
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(path)!, "data"));
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(path)!, "data", "fc.bin"), new byte[8].Concat(bytes).ToArray());
        _output.WriteLine($"largest difference {OnnxReference.Compare(new OnnxCase(path, TimeMajorInput: false)):G3}");
    }

    /// <summary>lemon's PyTorch 1.3 opset 9 export (Slice → Concat weight reordering, batch 128 fixed) up to its Gemm.</summary>
    [Fact]
    public void Lemon_opset9_lstm_without_its_log_softmax()
    {
        Onnx.ModelProto model = OnnxModelEdits.Load(OnnxReference.RealWorld("lemon_mnist_lstm_onnx", "lstm.onnx"));
        Onnx.NodeProto logSoftmax = model.Graph.Node.Single(n => n.OpType == "LogSoftmax");
        model.Graph.Node.Remove(logSoftmax);
        model.Graph.Output[0].Name = logSoftmax.Input[0];
        _output.WriteLine($"largest difference {OnnxReference.Compare(new OnnxCase(OnnxModelEdits.Save(model), TimeMajorInput: true)):G3}");
    }

    /// <summary>float16 and double initializers become float32 (ONNX Runtime would not run the mixed graph, so only the weights are compared).</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float16")]
    public void Float16_and_double_initializers_are_read(string typeName)
    {
        var type = typeName == "double" ? Onnx.TensorProto.Types.DataType.Double : Onnx.TensorProto.Types.DataType.Float16;
        string original = OnnxReference.Fixture("rnn_tanh.onnx");
        Onnx.ModelProto model = OnnxModelEdits.Load(original);
        Onnx.TensorProto weight = OnnxModelEdits.Initializer(model, "fc.weight");
        float[] values = Enumerable.Range(0, weight.RawData.Length / 4).Select(i => System.BitConverter.ToSingle(weight.RawData.Span.Slice(i * 4, 4))).ToArray();
        weight.DataType = (int)type;
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(type == Onnx.TensorProto.Types.DataType.Double
            ? values.SelectMany(v => System.BitConverter.GetBytes((double)v)).ToArray()
            : values.SelectMany(v => System.BitConverter.GetBytes((System.Half)v)).ToArray());
        float[] expected = ModelImporter.Import(original).Weights.Single(w => w.Name == "dense/kernel").Data;
        float[] actual = ModelImporter.Import(OnnxModelEdits.Save(model)).Weights.Single(w => w.Name == "dense/kernel").Data;
        float tolerance = type == Onnx.TensorProto.Types.DataType.Double ? 0f : 1e-3f;
        Assert.All(expected.Zip(actual), p => Assert.InRange(p.Second, p.First - tolerance - System.Math.Abs(p.First) * tolerance, p.First + tolerance + System.Math.Abs(p.First) * tolerance));
    }
}
