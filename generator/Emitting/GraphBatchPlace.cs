namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Where a layer's output lives in a graph's PredictBatch block (<see cref="GraphBatchEmitter"/>): a sequence
    /// buffer <c>[block, rows, width]</c> (a <c>k{n}</c>, or the caller's inputs), or a matrix of one vector per
    /// sequence <c>[block, width]</c> (an h, a, or y). The block's sequence r is the batch's sequence b0 + r.
    /// </summary>
    internal readonly struct GraphBatchPlace
    {
        private GraphBatchPlace(string name, int width, string? rows, bool isInput)
        {
            Name = name;
            Width = width;
            Rows = rows;
            IsInput = isInput;
        }

        /// <summary>The model input: <c>inputs</c>, sequence b0 + r at <c>(b0 + r) * sequenceLength</c>.</summary>
        public static GraphBatchPlace Input(int width) => new GraphBatchPlace("inputs", width, "timesteps", isInput: true);

        /// <summary>A sequence buffer of the block, <paramref name="rows"/> rows (generated code) of <paramref name="width"/> per sequence.</summary>
        public static GraphBatchPlace Sequence(string name, int width, string rows) => new GraphBatchPlace(name, width, rows, isInput: false);

        /// <summary>A matrix of one vector of <paramref name="width"/> floats per sequence.</summary>
        public static GraphBatchPlace Vector(string name, int width) => new GraphBatchPlace(name, width, null, isInput: false);

        public string Name { get; }

        public int Width { get; }

        /// <summary>Rows per sequence in generated code; null for a vector per sequence.</summary>
        public string? Rows { get; }

        public bool IsInput { get; }

        public bool IsSequence => Rows is not null;

        /// <summary>Floats per sequence in generated code.</summary>
        public string SequenceFloats => IsInput ? "sequenceLength" : Rows is null ? IntLiteral.Format(Width) : IndexExpression.Times(Rows, Width);

        /// <summary>Where the block's sequence <paramref name="r"/> starts.</summary>
        public string Start(string r) => IsInput ? $"(b0 + {r}) * sequenceLength" : IndexExpression.Times(r, SequenceFloats);

        /// <summary>All of sequence <paramref name="r"/> (its one vector, for a vector place).</summary>
        public string Of(string r) => $"{Name}.Slice({Start(r)}, {SequenceFloats})";

        /// <summary>Row <paramref name="t"/> of sequence <paramref name="r"/>.</summary>
        public string Row(string r, string t) => $"{Name}.Slice({Start(r)} + {IndexExpression.Times(t, Width)}, {IntLiteral.Format(Width)})";

        /// <summary>The block's live sequences, one after another: <c>rows</c> of them.</summary>
        public string Block => IsInput
            ? $"{Name}.Slice(b0 * sequenceLength, rows * sequenceLength)"
            : $"{Name}.Slice(0, {IndexExpression.Times("rows", SequenceFloats)})";
    }
}
