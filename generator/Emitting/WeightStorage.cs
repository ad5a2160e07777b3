using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Where the large tensors of one generated file go: string constants while the model's share of the
    /// assembly's string heap lasts (<see cref="Model.StringBudget"/>), then base64 constant data that
    /// <see cref="EncodedWeightsEmitter"/> writes at the end of the kernel class.
    /// </summary>
    internal sealed class WeightStorage
    {
        public WeightStorage(int stringFloats) => StringFloats = stringFloats;

        /// <summary>Floats this file may still store as string constants.</summary>
        public int StringFloats { get; private set; }

        /// <summary>Tensors stored as base64, in the order they were declared.</summary>
        public List<KeyValuePair<string, IReadOnlyList<float>>> Encoded { get; } = new List<KeyValuePair<string, IReadOnlyList<float>>>();

        /// <summary>
        /// Every tensor of the file in the order declared, with its place in the aligned block
        /// (<see cref="AlignedWeightsEmitter"/>): an offset that is a multiple of a cache line.
        /// </summary>
        public List<AlignedTensor> Aligned { get; } = new List<AlignedTensor>();

        /// <summary>Floats the aligned block needs so far (each tensor rounded up to whole cache lines).</summary>
        public int AlignedFloats { get; private set; }

        /// <summary>
        /// Places a tensor of <paramref name="floats"/> in the aligned block and returns its offset. One cache line is
        /// left free after each tensor: matrices of a power-of-two size would otherwise all start at the same cache
        /// set, and a layer's matrices evict each other (2 × LSTM(128) ran 1.2 times as long without the gap).
        /// </summary>
        /// <param name="encoded">Whether the tensor is stored as base64 (<see cref="EncodedWeightsEmitter"/>), decoded into its place.</param>
        /// <param name="panels">The matrices inside the tensor stored in <see cref="PanelLayout.Width"/>-column panels, which the block re-lays where Vector512 is not accelerated.</param>
        public int Align(string name, int floats, bool encoded = false, IReadOnlyList<PanelMatrix>? panels = null)
        {
            int offset = AlignedFloats;
            Aligned.Add(new AlignedTensor(name, offset, floats, encoded, panels ?? System.Array.Empty<PanelMatrix>()));
            AlignedFloats += (floats + LineFloats - 1) / LineFloats * LineFloats + LineFloats;
            return offset;
        }

        /// <summary>Floats per 64-byte cache line (LstmGen.Runtime.WeightBlock.LineFloats).</summary>
        public const int LineFloats = 16;

        /// <summary>Takes <paramref name="floats"/> from the string share when they fit.</summary>
        public bool TryTakeString(int floats)
        {
            if (floats > StringFloats) return false;
            StringFloats -= floats;
            return true;
        }
    }

    /// <summary>
    /// A tensor's place in the aligned block: <c>{Name}Source</c> is copied to floats [Offset, Offset + Length), or
    /// for an encoded tensor its base64 decoded there.
    /// </summary>
    internal readonly struct AlignedTensor
    {
        public AlignedTensor(string name, int offset, int length, bool encoded, IReadOnlyList<PanelMatrix> panels)
        {
            Name = name;
            Offset = offset;
            Length = length;
            Encoded = encoded;
            Panels = panels;
        }

        /// <summary>The matrices inside the tensor stored in panels (<see cref="PanelLayout"/>).</summary>
        public IReadOnlyList<PanelMatrix> Panels { get; }

        public bool Encoded { get; }

        public string Name { get; }

        public int Offset { get; }

        public int Length { get; }
    }

    /// <summary>A matrix stored in panels: <see cref="Rows"/> × <see cref="Columns"/> floats from <see cref="Offset"/> of its tensor.</summary>
    internal readonly struct PanelMatrix
    {
        public PanelMatrix(int offset, int rows, int columns)
        {
            Offset = offset;
            Rows = rows;
            Columns = columns;
        }

        public int Offset { get; }

        public int Rows { get; }

        public int Columns { get; }
    }
}
