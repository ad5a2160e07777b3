namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A layer that maps a whole sequence to a new one whose row count may differ (Conv1D, the 1D poolings,
    /// ZeroPadding1D, Cropping1D, UpSampling1D). The planner gives each a stage of its own: it reads its source's
    /// rows all at once and writes every output row before the next stage starts.
    /// </summary>
    internal abstract record SequenceLayerSpec(string Name, string ClassName, int InputSize)
        : LayerSpec(Name, ClassName, InputSize, IsSequence: true)
    {
        /// <summary>Rows out for <paramref name="steps"/> rows in; 0 or less when the input is too short for one.</summary>
        public abstract int OutputSteps(int steps);

        /// <summary>The fewest input rows that give at least <paramref name="rows"/> output rows (the output grows with the input).</summary>
        public int InputStepsFor(int rows)
        {
            int low = 1, high = 1;
            while (OutputSteps(high) < rows)
            {
                if (high > int.MaxValue / 2) return int.MaxValue;
                low = high + 1;
                high *= 2;
            }
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (OutputSteps(middle) >= rows) high = middle;
                else low = middle + 1;
            }
            return high;
        }

        public override bool ChangesSequence => true;
    }

    /// <summary>Keras <c>padding</c> of a sliding window (Conv1D, pooling).</summary>
    internal enum WindowPadding
    {
        /// <summary>No padding: only windows that fit the input.</summary>
        Valid,

        /// <summary>ceil(steps / strides) outputs, the padding split as TensorFlow does (the smaller half first).</summary>
        Same,

        /// <summary>(window - 1) × dilation zero rows before the input: output t sees inputs up to t only.</summary>
        Causal,
    }

    /// <summary>
    /// A window of <see cref="Window"/> rows, <see cref="Dilation"/> apart, sliding by <see cref="Stride"/>: the
    /// geometry Conv1D and the poolings share, with TensorFlow's output lengths and padding.
    /// </summary>
    internal abstract record WindowLayerSpec(string Name, string ClassName, int InputSize, int Window, int Stride, int Dilation, WindowPadding Padding)
        : SequenceLayerSpec(Name, ClassName, InputSize)
    {
        /// <summary>Input rows one window covers, first to last.</summary>
        public int Extent => (Dilation * (Window - 1)) + 1;

        public override int OutputSteps(int steps) => Padding switch
        {
            WindowPadding.Valid => steps >= Extent ? ((steps - Extent) / Stride) + 1 : 0,
            WindowPadding.Same => (int)(((long)steps + Stride - 1) / Stride),
            _ => steps >= 1 ? ((steps - 1) / Stride) + 1 : 0,
        };

        /// <summary>Zero rows before the input for <paramref name="steps"/> input rows (TensorFlow puts the odd one after).</summary>
        public int PadBefore(int steps) => Padding switch
        {
            WindowPadding.Same => System.Math.Max(0, ((OutputSteps(steps) - 1) * Stride) + Extent - steps) / 2,
            WindowPadding.Causal => Extent - 1,
            _ => 0,
        };

        /// <summary>Whether the padding before the input is the same for every input length (it is unless 'same' with strides).</summary>
        public bool FixedPadding => Padding != WindowPadding.Same || Stride == 1;

        protected string Geometry
            => $"{(ClassName.EndsWith("Pooling1D", System.StringComparison.Ordinal) ? "pool_size" : "kernel_size")} {Window}"
               + (Stride != 1 ? $", strides {Stride}" : string.Empty)
               + (Dilation != 1 ? $", dilation_rate {Dilation}" : string.Empty)
               + $", padding {PaddingName}";

        private string PaddingName => Padding switch
        {
            WindowPadding.Same => "same",
            WindowPadding.Causal => "causal",
            _ => "valid",
        };

        public override string? WhyNotCausal => Padding switch
        {
            WindowPadding.Same when Extent > 1 => $"layer '{Name}' is {ClassName} with padding 'same': output t reads inputs after t",
            WindowPadding.Valid when Extent > 1 => $"layer '{Name}' is {ClassName} with padding 'valid': its output has fewer rows than its input",
            _ when Stride > 1 => $"layer '{Name}' is {ClassName} with strides {Stride}: it outputs one row per {Stride} inputs",
            _ => $"layer '{Name}' is {ClassName}: LstmGen does not stream it one timestep at a time yet",
        };
    }

    /// <summary>
    /// Keras <c>Conv1D</c> (channels_last): output row t, filter f = activation(b[f] + Σ_k Σ_c x[t·s + k·d − pad, c] ·
    /// kernel[k, c, f]) over the input channels of f's group, rows outside the input counting as zeros. Kernel
    /// (kernel_size, in / groups, filters), bias (filters).
    /// <para>
    /// Also Keras <c>DepthwiseConv1D</c> (groups = in, filters = in · depth_multiplier: output channel c · m + j reads
    /// input channel c, its depthwise_kernel (k, in, m) being the same row-major numbers as the kernel (k, 1, in · m))
    /// and each half of <c>SeparableConv1D</c> (that depthwise convolution without bias or activation, then a
    /// kernel-1 Conv1D with the pointwise_kernel (1, in · m, filters), the bias and the activation):
    /// <see cref="LayerSpec.ClassName"/> says which Keras layer it came from, <see cref="Depthwise"/> whether this is a
    /// depthwise convolution (groups = in).
    /// </para>
    /// </summary>
    internal sealed record Conv1DLayerSpec(
        string Name,
        int InputSize,
        int Filters,
        int KernelSize,
        int Stride,
        int Dilation,
        WindowPadding Padding,
        int Groups,
        Activation Activation,
        Tensor Kernel,
        Tensor? Bias,
        string ClassName = "Conv1D",
        bool Depthwise = false)
        : WindowLayerSpec(Name, ClassName, InputSize, KernelSize, Stride, Dilation, Padding)
    {
        public override int OutputSize => Filters;

        public override int ParameterCount => Kernel.Length + (Bias?.Length ?? 0);

        /// <summary>Input channels each filter reads.</summary>
        public int GroupInputs => InputSize / Groups;

        /// <summary>Filters per group.</summary>
        public int GroupFilters => Filters / Groups;

        /// <summary>
        /// Output t reads inputs t − (kernel_size − 1) · dilation_rate .. t only, one output per input (causal padding, or
        /// a kernel of one row, stride 1): it can run one timestep at a time, keeping its last inputs in the State.
        /// </summary>
        public bool Streams => Stride == 1 && (Padding == WindowPadding.Causal || Extent == 1);

        /// <summary>Input rows before the current one that output t reads: what the State keeps of this layer's input.</summary>
        public int HistoryRows => Streams ? Extent - 1 : 0;

        /// <summary>The floats of those rows: the size of the layer's <c>history</c> buffer.</summary>
        public int HistoryFloats => HistoryRows * InputSize;

        public override string? WhyNotCausal => Streams ? null : base.WhyNotCausal;

        public override string Description
            => Depthwise && ClassName == "SeparableConv1D"
                ? $"SeparableConv1D '{Name}', its depthwise step: depth_multiplier {GroupFilters} ({Plural.Count(Filters, "channel")}), {Geometry}"
                : $"{ClassName} '{Name}': "
                  + (Depthwise ? $"depth_multiplier {GroupFilters} ({Plural.Count(Filters, "channel")})" : Plural.Count(Filters, "filter"))
                  + $", {Geometry}"
                  + (Groups != 1 && !Depthwise ? $", groups {Groups}" : string.Empty)
                  + $", activation {ActivationText.KerasName(Activation)}"
                  + (Bias is null ? ", no bias" : string.Empty);
    }

    /// <summary>
    /// Keras <c>MaxPooling1D</c> / <c>AveragePooling1D</c> (channels_last): the maximum or mean of each feature over a
    /// window; with padding 'same' the padded rows do not count (the mean divides by the rows inside the input).
    /// </summary>
    internal sealed record Pooling1DLayerSpec(string Name, int InputSize, bool Max, int PoolSize, int Stride, WindowPadding Padding)
        : WindowLayerSpec(Name, Max ? "MaxPooling1D" : "AveragePooling1D", InputSize, PoolSize, Stride, 1, Padding)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description
            => $"{ClassName} '{Name}': the {(Max ? "maximum" : "mean")} of each of {Plural.Count(InputSize, "feature")} over windows, {Geometry}";
    }

    /// <summary>Keras <c>ZeroPadding1D</c>: <see cref="Before"/> zero rows, the input, then <see cref="After"/> zero rows.</summary>
    internal sealed record ZeroPadding1DLayerSpec(string Name, int InputSize, int Before, int After)
        : SequenceLayerSpec(Name, "ZeroPadding1D", InputSize)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override int OutputSteps(int steps) => steps + Before + After;

        public override string Description => $"ZeroPadding1D '{Name}': {Plural.Count(Before, "zero row")} before the sequence, {Plural.Count(After, "zero row")} after it";

        public override string? WhyNotCausal => After > 0
            ? $"layer '{Name}' is ZeroPadding1D: it adds rows after the sequence"
            : $"layer '{Name}' is ZeroPadding1D: LstmGen does not stream it one timestep at a time yet";
    }

    /// <summary>Keras <c>Cropping1D</c>: drops <see cref="Before"/> rows at the start and <see cref="After"/> at the end.</summary>
    internal sealed record Cropping1DLayerSpec(string Name, int InputSize, int Before, int After)
        : SequenceLayerSpec(Name, "Cropping1D", InputSize)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override int OutputSteps(int steps) => steps - Before - After;

        public override string Description => $"Cropping1D '{Name}': drops the first {Plural.Count(Before, "row")} and the last {Plural.Count(After, "row")}";

        public override string? WhyNotCausal => After > 0
            ? $"layer '{Name}' is Cropping1D: dropping the last rows needs to know where the sequence ends"
            : $"layer '{Name}' is Cropping1D: LstmGen does not stream it one timestep at a time yet";
    }

    /// <summary>Keras <c>UpSampling1D</c>: every row repeated <see cref="Size"/> times.</summary>
    internal sealed record UpSampling1DLayerSpec(string Name, int InputSize, int Size)
        : SequenceLayerSpec(Name, "UpSampling1D", InputSize)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override int OutputSteps(int steps) => (int)System.Math.Min(int.MaxValue, (long)steps * Size);

        public override string Description => $"UpSampling1D '{Name}': every row repeated {Plural.Count(Size, "time")}";

        public override string? WhyNotCausal => $"layer '{Name}' is UpSampling1D: it outputs {Size} rows per input row";
    }

    /// <summary>
    /// Keras <c>Permute((2, 1))</c> on a sequence of <see cref="Rows"/> rows (fixed): the [rows, features] matrix
    /// transposed, so the output has <see cref="LayerSpec.InputSize"/> rows of <see cref="Rows"/> floats (input row t,
    /// feature j is output row j, feature t). Also the transposes a <c>data_format: channels_first</c> layer is read
    /// as (Permute, the channels_last layer, Permute): <see cref="Owner"/> then names that layer and
    /// <see cref="OwnerClass"/> its Keras class; both are null for a Permute layer of the file.
    /// </summary>
    internal sealed record PermuteLayerSpec(string Name, int InputSize, int Rows, string? Owner = null, string? OwnerClass = null)
        : SequenceLayerSpec(Name, "Permute", InputSize)
    {
        /// <summary>The layer a channels_first transpose belongs to, made safe like layer names.</summary>
        public string? Owner { get; } = Owner is null ? null : DisplayText.Escape(Owner, DisplayText.MaxNameLength);

        public override int OutputSize => Rows;

        public override int ParameterCount => 0;

        /// <summary>The input's features become the rows: as many whatever the input's length (which is fixed anyway).</summary>
        public override int OutputSteps(int steps) => steps >= 1 ? InputSize : 0;

        public override string Description => Owner is null
            ? $"Permute '{Name}': dims (2, 1), {Plural.Count(Rows, "row")} × {Plural.Count(InputSize, "feature")} transposed to {Plural.Count(InputSize, "row")} × {Plural.Count(Rows, "feature")}"
            : $"Permute '{Name}': for {OwnerClass} '{Owner}' (data_format channels_first), {Plural.Count(Rows, "row")} × {Plural.Count(InputSize, "feature")} transposed to {Plural.Count(InputSize, "row")} × {Plural.Count(Rows, "feature")}";

        public override string? WhyNotCausal => Owner is null
            ? $"layer '{Name}' is Permute: it swaps the timesteps and the features, so every output row needs the whole input"
            : $"layer '{Owner}' is {OwnerClass} with data_format channels_first: it reads the sequence as [channels, steps], so every output row needs the whole input";
    }
}
