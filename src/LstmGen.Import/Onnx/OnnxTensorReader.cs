using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Onnx;

namespace LstmGen.Import.Onnx;

/// <summary>
/// Reads a TensorProto's numbers: float32 (raw_data little-endian or float_data), float16 and double (widened or
/// narrowed to float32), int64 / int32 / bool (shape arithmetic). External data is read only from a file beside
/// the model (<see cref="SidecarFiles"/>), within that file's bounds.
/// </summary>
internal static class OnnxTensorReader
{
    public static OnnxConstant Read(TensorProto tensor, string modelPath, string what)
    {
        long[] shape = tensor.Dims.ToArray();
        if (shape.Any(d => d < 0)) throw new ImportException(what + " has a negative dimension", where: what);
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        if (count > int.MaxValue / 8) throw new ImportException(what + " is too large (" + count + " elements)", where: what);
        var type = (TensorProto.Types.DataType)tensor.DataType;
        byte[]? raw = tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External
            ? ReadExternal(tensor, modelPath, what)
            : tensor.HasRawData ? tensor.RawData.ToByteArray() : null;
        int n = (int)count;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                return OnnxConstant.Float(shape, raw is null ? Typed(tensor.FloatData.ToArray(), n, what) : FromRaw(raw, n, 4, what, (s) => BinaryPrimitives.ReadSingleLittleEndian(s)));
            case TensorProto.Types.DataType.Float16:
                // float_data cannot hold them: int32_data carries the 16 bits of each value.
                return OnnxConstant.Float(shape, raw is null
                    ? Typed(tensor.Int32Data.Select(v => (float)BitConverter.Int16BitsToHalf((short)v)).ToArray(), n, what)
                    : FromRaw(raw, n, 2, what, s => (float)BinaryPrimitives.ReadHalfLittleEndian(s)));
            case TensorProto.Types.DataType.Double:
                return OnnxConstant.Float(shape, raw is null
                    ? Typed(tensor.DoubleData.Select(v => (float)v).ToArray(), n, what)
                    : FromRaw(raw, n, 8, what, s => (float)BinaryPrimitives.ReadDoubleLittleEndian(s)));
            case TensorProto.Types.DataType.Int64:
                return OnnxConstant.Int(shape, raw is null ? Typed(tensor.Int64Data.ToArray(), n, what) : FromRaw(raw, n, 8, what, s => BinaryPrimitives.ReadInt64LittleEndian(s)));
            case TensorProto.Types.DataType.Int32:
                return OnnxConstant.Int(shape, raw is null ? Typed(tensor.Int32Data.Select(v => (long)v).ToArray(), n, what) : FromRaw(raw, n, 4, what, s => (long)BinaryPrimitives.ReadInt32LittleEndian(s)));
            case TensorProto.Types.DataType.Bool:
                return OnnxConstant.Int(shape, raw is null ? Typed(tensor.Int32Data.Select(v => (long)v).ToArray(), n, what) : FromRaw(raw, n, 1, what, s => (long)s[0]));
            default:
                throw new ImportException(what + " has element type " + type + "; LstmGen reads float32, float16, double, int64, int32 and bool tensors", where: what);
        }
    }

    private delegate T Decode<T>(ReadOnlySpan<byte> bytes);

    private static T[] FromRaw<T>(byte[] raw, int count, int size, string what, Decode<T> decode)
    {
        if (raw.Length != (long)count * size)
        {
            throw new ImportException(what + " holds " + raw.Length + " bytes but its dims need " + ((long)count * size) + " (" + count + " elements of " + size + " bytes)", where: what,
                help: "the file is damaged or was written by a faulty exporter; export the model again");
        }
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = decode(raw.AsSpan(i * size, size));
        return values;
    }

    private static T[] Typed<T>(T[] values, int count, string what)
    {
        if (values.Length != count)
        {
            throw new ImportException(what + " holds " + values.Length + " values but its dims need " + count, where: what,
                help: "the file is damaged or was written by a faulty exporter; export the model again");
        }
        return values;
    }

    private static byte[] ReadExternal(TensorProto tensor, string modelPath, string what)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (StringStringEntryProto entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseLong(entry.Value, what); break;
                case "length": length = ParseLong(entry.Value, what); break;
            }
        }
        if (location is null) throw new ImportException(what + " has external data without a location", where: what);
        string path = SidecarFiles.Resolve(modelPath, location, what + " (external data)");
        using FileStream stream = File.OpenRead(path);
        if (offset < 0 || offset > stream.Length) throw new ImportException(what + ": external data offset " + offset + " is beyond the end of '" + location + "' (" + stream.Length + " bytes)", where: what);
        if (length < 0) length = stream.Length - offset;
        if (length > stream.Length - offset) throw new ImportException(what + ": external data [" + offset + ", " + (offset + length) + ") runs past the end of '" + location + "' (" + stream.Length + " bytes)", where: what);
        if (length > int.MaxValue) throw new ImportException(what + " is too large", where: what);
        var bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static long ParseLong(string text, string what)
        => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new ImportException(what + ": external data offset/length '" + text + "' is not a number", where: what);
}
