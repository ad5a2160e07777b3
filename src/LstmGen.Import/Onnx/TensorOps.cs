using System;
using System.Linq;

namespace LstmGen.Import.Onnx;

/// <summary>Row-major data movement on known tensors (for constant folding): transpose, slice, gather, concat.</summary>
internal static class TensorOps
{
    public static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    public static int NormalizeAxis(long axis, int rank, string what)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ImportException(what + ": axis " + axis + " is out of range for rank " + rank, where: what);
        return (int)a;
    }

    public static OnnxConstant Transpose(OnnxConstant x, long[] perm)
    {
        long[] shape = perm.Select(p => x.Shape[p]).ToArray();
        long[] inStrides = Strides(x.Shape);
        return Map(x, shape, index =>
        {
            long offset = 0;
            for (int i = 0; i < index.Length; i++) offset += index[i] * inStrides[perm[i]];
            return offset;
        });
    }

    /// <summary>Per axis: start and step (already clamped by the caller) and the output length.</summary>
    public static OnnxConstant Slice(OnnxConstant x, long[] starts, long[] steps, long[] lengths)
    {
        long[] inStrides = Strides(x.Shape);
        return Map(x, lengths, index =>
        {
            long offset = 0;
            for (int i = 0; i < index.Length; i++) offset += (starts[i] + index[i] * steps[i]) * inStrides[i];
            return offset;
        });
    }

    public static OnnxConstant Gather(OnnxConstant x, int axis, OnnxConstant indices, string what)
    {
        long[] idx = indices.AsInts().Select(i => i < 0 ? i + x.Shape[axis] : i).ToArray();
        if (idx.Any(i => i < 0 || i >= x.Shape[axis])) throw new ImportException(what + ": an index is out of range", where: what);
        long[] shape = x.Shape.Take(axis).Concat(indices.Shape).Concat(x.Shape.Skip(axis + 1)).ToArray();
        long[] inStrides = Strides(x.Shape);
        long[] idxStrides = Strides(indices.Shape);
        int q = indices.Shape.Length;
        return Map(x, shape, index =>
        {
            long offset = 0;
            for (int i = 0; i < axis; i++) offset += index[i] * inStrides[i];
            long flat = 0;
            for (int i = 0; i < q; i++) flat += index[axis + i] * idxStrides[i];
            offset += idx[flat] * inStrides[axis];
            for (int i = axis + 1; i < x.Shape.Length; i++) offset += index[i + q - 1] * inStrides[i];
            return offset;
        });
    }

    public static OnnxConstant Concat(OnnxConstant[] parts, int axis)
    {
        long[] shape = (long[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        long outer = shape.Take(axis).Aggregate(1L, (a, b) => a * b);
        bool floats = parts.Any(p => p.IsFloat);
        int total = (int)shape.Aggregate(1L, (a, b) => a * b);
        Array result = floats ? new float[total] : new long[total];
        int position = 0;
        for (long o = 0; o < outer; o++)
        {
            foreach (OnnxConstant part in parts)
            {
                long block = part.Shape.Skip(axis).Aggregate(1L, (a, b) => a * b);
                Array data = floats ? part.AsFloats() : part.AsInts();
                Array.Copy(data, o * block, result, position, block);
                position += (int)block;
            }
        }
        return floats ? OnnxConstant.Float(shape, (float[])result) : OnnxConstant.Int(shape, (long[])result);
    }

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/> (numpy rules, for Expand).</summary>
    public static OnnxConstant Expand(OnnxConstant x, long[] target)
    {
        int rank = Math.Max(target.Length, x.Shape.Length);
        long[] xs = Enumerable.Repeat(1L, rank - x.Shape.Length).Concat(x.Shape).ToArray();
        long[] ts = Enumerable.Repeat(1L, rank - target.Length).Concat(target).ToArray();
        long[] shape = xs.Zip(ts, (a, b) => a == 1 ? b : a).ToArray();
        long[] inStrides = Strides(xs);
        return Map(x, shape, index =>
        {
            long offset = 0;
            for (int i = 0; i < rank; i++) offset += (xs[i] == 1 ? 0 : index[i]) * inStrides[i];
            return offset;
        });
    }

    /// <summary>Builds a tensor of <paramref name="shape"/> whose element at each index is x's element at source(index).</summary>
    private static OnnxConstant Map(OnnxConstant x, long[] shape, Func<long[], long> source)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        Array data = x.Data;
        Array result = Array.CreateInstance(data.GetType().GetElementType()!, count);
        var index = new long[shape.Length];
        for (long n = 0; n < count; n++)
        {
            result.SetValue(data.GetValue(source(index)), n);
            for (int i = shape.Length - 1; i >= 0; i--)
            {
                if (++index[i] < shape[i]) break;
                index[i] = 0;
            }
        }
        return x.WithData(shape, result);
    }
}
