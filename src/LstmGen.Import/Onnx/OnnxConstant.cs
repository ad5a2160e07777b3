using System;
using System.Linq;

namespace LstmGen.Import.Onnx;

/// <summary>
/// A tensor whose value is known without running the model: an initializer, a Constant node, or a folded
/// subgraph of them. Floats or integers (shape arithmetic and indices); <see cref="Zero"/> is a tensor known
/// to be all zeros whose shape depends on the batch (PyTorch's initial states: ConstantOfShape of Shape(x)).
/// </summary>
internal sealed class OnnxConstant
{
    private OnnxConstant(long[] shape, float[]? floats, long[]? ints, bool zeroOfUnknownShape)
    {
        Shape = shape;
        Floats = floats;
        Ints = ints;
        IsZeroOfUnknownShape = zeroOfUnknownShape;
    }

    public static OnnxConstant Float(long[] shape, float[] data) => new(shape, data, null, false);

    public static OnnxConstant Int(long[] shape, long[] data) => new(shape, null, data, false);

    /// <summary>All zeros, shape only known at run time.</summary>
    public static OnnxConstant Zero { get; } = new(Array.Empty<long>(), null, null, true);

    public long[] Shape { get; }

    public float[]? Floats { get; }

    public long[]? Ints { get; }

    public bool IsZeroOfUnknownShape { get; }

    public bool IsFloat => Floats is not null;

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>True when every element is zero (whatever the shape).</summary>
    public bool IsAllZero => IsZeroOfUnknownShape || (Floats?.All(v => v == 0f) ?? Ints!.All(v => v == 0));

    /// <summary>The values as integers (indices, axes, shapes); floats that are whole numbers are accepted.</summary>
    public long[] AsInts()
    {
        if (Ints is not null) return Ints;
        if (Floats is null) throw new InvalidOperationException("a zero tensor of unknown shape has no elements");
        return Floats.Select(f => (long)f).ToArray();
    }

    public float[] AsFloats()
    {
        if (Floats is not null) return Floats;
        if (Ints is null) throw new InvalidOperationException("a zero tensor of unknown shape has no elements");
        return Ints.Select(i => (float)i).ToArray();
    }

    public OnnxConstant WithData(long[] shape, Array data)
        => data is float[] f ? Float(shape, f) : Int(shape, (long[])data);

    public Array Data => (Array?)Floats ?? Ints ?? throw new InvalidOperationException("a zero tensor of unknown shape has no elements");
}
