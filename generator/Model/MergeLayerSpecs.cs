namespace LstmGen.Generator.Model
{
    /// <summary>How a merge layer combines its operands (Keras's merge layers).</summary>
    internal enum MergeKind
    {
        Add,
        Subtract,
        Multiply,
        Average,
        Maximum,
        Minimum,
        Concatenate,
    }

    /// <summary>
    /// A Keras merge layer of a Functional graph (<c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>,
    /// <c>Maximum</c>, <c>Minimum</c>, <c>Concatenate</c>): its operands are other layers' outputs (or the model input),
    /// in the order the file lists them, all sequences with the same rows or all vectors. Element-wise kinds need
    /// operands of one width; Concatenate joins them on the last axis or, with <see cref="TimeAxis"/>, appends the
    /// sequences' rows one after another.
    /// </summary>
    internal sealed record MergeLayerSpec(string Name, MergeKind Kind, EquatableArray<int> OperandWidths, bool IsSequence, bool TimeAxis = false)
        : LayerSpec(Name, Kind.ToString(), OperandWidths[0], IsSequence)
    {
        public override int OutputSize
        {
            get
            {
                if (Kind != MergeKind.Concatenate || TimeAxis) return OperandWidths[0];
                int total = 0;
                foreach (int width in OperandWidths) total += width;
                return total;
            }
        }

        public override int ParameterCount => 0;

        public override string Description => $"{ClassName} '{Name}': {Formula}";

        /// <summary>What the layer computes, in words.</summary>
        private string Formula => Kind switch
        {
            MergeKind.Add => "the sum of its inputs",
            MergeKind.Subtract => "its first input minus its second",
            MergeKind.Multiply => "the element-wise product of its inputs",
            MergeKind.Average => "the mean of its inputs",
            MergeKind.Maximum => "the element-wise maximum of its inputs",
            MergeKind.Minimum => "the element-wise minimum of its inputs",
            _ => TimeAxis ? "its inputs' rows one after another (the time axis)" : $"its inputs side by side, {Plural.Count(OutputSize, "float")} per row",
        };

        /// <summary>Appending rows makes a sequence that exists only once every operand's last row does.</summary>
        public override string? WhyNotCausal => TimeAxis ? $"layer '{Name}' concatenates on the time axis: its rows come after its first input's last row" : null;

        /// <summary>A time-axis Concatenate writes a sequence of its own rows (a stage of its own in a chain).</summary>
        public override bool ChangesSequence => TimeAxis;
    }
}
