using System;
using System.Buffers.Binary;

namespace LstmGen.Import.Tfjs;

/// <summary>
/// Turns a weight's bytes into float32 values exactly as tfjs-core's decodeWeight does: uint8/uint16 codes become
/// <c>q * scale + min</c> in double precision (JavaScript numbers) stored to float32; float16 widens exactly.
/// </summary>
internal static class TfjsWeightDecoder
{
    public static float[] Decode(TfjsWeightSpec weight, ReadOnlySpan<byte> bytes)
    {
        var values = new float[weight.Count];
        TfjsQuantization? q = weight.Quantization;
        switch (weight.StoredDtype)
        {
            case "uint8":
                for (int i = 0; i < values.Length; i++) values[i] = Affine(bytes[i], q!, weight.Dtype);
                break;
            case "uint16":
                for (int i = 0; i < values.Length; i++) values[i] = Affine(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i)), q!, weight.Dtype);
                break;
            case "float16":
                for (int i = 0; i < values.Length; i++) values[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i)));
                break;
            case "float32":
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                break;
            case "int32":
                // tfjs-layers casts int32 weights to float32 when it sets them on a layer.
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * i));
                break;
            default:
                throw new ImportException("weight '" + weight.Name + "' has storage dtype '" + weight.StoredDtype + "'", where: weight.Name);
        }
        return values;
    }

    /// <summary>JavaScript: <c>v * scale + min</c> in doubles; int32 weights are Math.round-ed (halves up).</summary>
    private static float Affine(int code, TfjsQuantization q, string dtype)
    {
        double value = code * q.Scale + q.Min;
        return dtype == "int32" ? (float)Math.Floor(value + 0.5) : (float)value;
    }
}
