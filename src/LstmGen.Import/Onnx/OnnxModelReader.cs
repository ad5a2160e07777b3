namespace LstmGen.Import.Onnx;

/// <summary>ONNX graphs whose recurrent part is LSTM / GRU / RNN nodes, translated to a Keras-style topology.</summary>
internal static class OnnxModelReader
{
    public static ImportDocument Read(string path)
        => throw new ImportException("ONNX import is not implemented yet");
}
