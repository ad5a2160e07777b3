using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A float32 weight tensor (row-major, as Keras <c>get_weights()</c> returns it) compared bit for bit,
    /// so that a changed weight, even -0 versus 0 or one NaN payload for another, regenerates the model.
    /// </summary>
    internal sealed class Tensor : IEquatable<Tensor>
    {
        private readonly float[] _values;
        private readonly int[] _shape;
        private readonly int _hash;

        public Tensor(float[] values, int[] shape)
        {
            _values = values;
            _shape = shape;
            int hash = 17;
            foreach (int dim in shape) hash = unchecked((hash * 31) + dim);
            foreach (int bits in MemoryMarshal.Cast<float, int>(values)) hash = unchecked((hash * 31) + bits);
            _hash = hash;
        }

        public IReadOnlyList<float> Values => _values;

        public IReadOnlyList<int> Shape => _shape;

        public int Length => _values.Length;

        public string ShapeText => "[" + string.Join(", ", _shape) + "]";

        public bool Equals(Tensor? other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other is null || other._hash != _hash || other._values.Length != _values.Length) return false;
            if (!((ReadOnlySpan<int>)_shape).SequenceEqual(other._shape)) return false;
            return MemoryMarshal.Cast<float, int>(_values).SequenceEqual(MemoryMarshal.Cast<float, int>(other._values));
        }

        public override bool Equals(object? obj) => Equals(obj as Tensor);

        public override int GetHashCode() => _hash;
    }
}
