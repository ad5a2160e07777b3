using System.Globalization;
using System.Linq;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the layers that map a whole sequence to a new one: Conv1D, DepthwiseConv1D, SeparableConv1D (as two
    /// Conv1D specs), MaxPooling1D / AveragePooling1D,
    /// ZeroPadding1D, Cropping1D and UpSampling1D (channels_last, as Keras 2 / 3 and tfjs write them; the chain
    /// builder reads a channels_first layer as a transpose, the channels_last layer, a transpose). An option LstmGen
    /// does not compute is an error located at its key; a fixed-length input too short for a layer is one at the layer.
    /// </summary>
    internal sealed class SequenceLayerReader
    {
        private readonly ReadContext _context;
        private readonly WeightReader _weights;

        public SequenceLayerReader(ReadContext context, WeightReader weights)
        {
            _context = context;
            _weights = weights;
        }

        /// <summary>Keys of DepthwiseConv1D and SeparableConv1D that only matter while training.</summary>
        private static readonly string[] s_depthwiseTrainingKeys =
        {
            "depthwise_initializer", "depthwise_regularizer", "depthwise_constraint",
            "pointwise_initializer", "pointwise_regularizer", "pointwise_constraint",
        };

        /// <param name="steps">The input's rows when fixed, else null.</param>
        public SequenceLayerSpec Read(LayerEntry entry, LayerConfig config, bool isSequence, int width, int? steps)
        {
            RequireSequence(entry, isSequence);
            SequenceLayerSpec spec = entry.ClassName switch
            {
                "Conv1D" => Conv1D(entry, config, width),
                "DepthwiseConv1D" => DepthwiseConv1D(entry, config, width),
                "MaxPooling1D" or "AveragePooling1D" => Pooling(entry, config, width),
                "ZeroPadding1D" => ZeroPadding(entry, config, width),
                "Cropping1D" => Cropping(entry, config, width),
                _ => new UpSampling1DLayerSpec(entry.Name, width, config.ReadPositiveInt("size")),
            };
            Check(entry, spec, steps);
            return spec;
        }

        /// <summary>
        /// Keras <c>SeparableConv1D</c> as the two convolutions it computes: the depthwise one (the layer's strides,
        /// padding and dilation_rate; no bias, no activation), named as the layer, then a kernel-1 Conv1D named
        /// "NAME (pointwise)" with the pointwise_kernel, the bias and the activation.
        /// </summary>
        public (Conv1DLayerSpec Depthwise, Conv1DLayerSpec Pointwise) ReadSeparable(LayerEntry entry, LayerConfig config, bool isSequence, int width, int? steps)
        {
            RequireSequence(entry, isSequence);
            Depthwise geometry = ReadDepthwise(entry, config, width);
            int filters = config.ReadPositiveInt("filters");
            Activation activation = config.ReadActivation("activation", Activation.Linear, allowSoftmax: true);
            bool useBias = config.ReadBool("use_bias", true);
            int channels = width * geometry.Multiplier;
            string[] names = useBias ? new[] { "depthwise_kernel", "pointwise_kernel", "bias" } : new[] { "depthwise_kernel", "pointwise_kernel" };
            int[][] shapes = useBias
                ? new[] { new[] { geometry.KernelSize, width, geometry.Multiplier }, new[] { 1, channels, filters }, new[] { filters } }
                : new[] { new[] { geometry.KernelSize, width, geometry.Multiplier }, new[] { 1, channels, filters } };
            Tensor[] w = _weights.Read(entry.Label, entry.Json, names, shapes);
            var depthwise = new Conv1DLayerSpec(entry.Name, width, channels, geometry.KernelSize, geometry.Stride, geometry.Dilation, geometry.Padding,
                width, Activation.Linear, AsGrouped(w[0], channels), null, "SeparableConv1D", Depthwise: true);
            Check(entry, depthwise, steps);
            var pointwise = new Conv1DLayerSpec(entry.Name + " (pointwise)", channels, filters, 1, 1, 1, WindowPadding.Valid,
                1, activation, w[1], useBias ? w[2] : null, "SeparableConv1D");
            Check(entry, pointwise, steps is int rows ? depthwise.OutputSteps(rows) : null);
            return (depthwise, pointwise);
        }

        private void RequireSequence(LayerEntry entry, bool isSequence)
        {
            if (!isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a single vector; it works on a sequence (put it before the layer with return_sequences=false)", entry.Json);
            }
        }

        private void Check(LayerEntry entry, SequenceLayerSpec spec, int? steps)
        {
            if (steps is int t && spec.OutputSteps(t) < 1)
            {
                // "needs at least 3 timesteps but gets 2": the rows that reach it (the input's, less what the layers before it took).
                throw _context.Invalid(entry.Described + " needs at least " + Steps(spec.InputStepsFor(1)) + " but gets " + t.ToString("N0", CultureInfo.InvariantCulture) + ", which leaves no output rows (" + spec.Description + ")", entry.Json);
            }
            if (steps is int rows && (long)spec.OutputSteps(rows) * spec.OutputSize > ModelLimits.MaxParameters)
            {
                throw _context.Invalid(entry.Described + ": its output of " + Rows(spec.OutputSteps(rows)) + " × " + IntText(spec.OutputSize) + " features is more than " + IntText(ModelLimits.MaxParameters) + " floats", entry.Json);
            }
        }

        private Conv1DLayerSpec Conv1D(LayerEntry entry, LayerConfig config, int width)
        {
            config.ReadNode("data_format"); // read by the chain builder (channels_first: transposes around this)
            int filters = config.ReadPositiveInt("filters");
            int kernelSize = ReadWindowInt(config, "kernel_size", null);
            int stride = ReadWindowInt(config, "strides", 1);
            int dilation = ReadWindowInt(config, "dilation_rate", 1);
            WindowPadding padding = ReadPadding(config, allowCausal: true);
            int groups = config.ReadNode("groups") is null ? 1 : config.ReadPositiveInt("groups");
            Activation activation = config.ReadActivation("activation", Activation.Linear, allowSoftmax: true);
            bool useBias = config.ReadBool("use_bias", true);
            config.RequireNull("lora_rank", "LoRA-adapted Conv1D layers are not supported; merge the adapter into the kernel before exporting");
            config.RequireNull("quantization_config", "quantized Conv1D layers are not supported; export float32 weights");
            if (stride > 1 && dilation > 1)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, config.ReadNode("dilation_rate"), entry.Label, "dilation_rate", IntText(dilation),
                    "Keras does not allow strides > 1 together with dilation_rate > 1");
            }
            if (width % groups != 0 || filters % groups != 0)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, config.ReadNode("groups"), entry.Label, "groups", IntText(groups),
                    "the " + IntText(width) + " input channels and " + IntText(filters) + " filters must both be multiples of groups");
            }
            string[] names = useBias ? new[] { "kernel", "bias" } : new[] { "kernel" };
            int[][] shapes = useBias
                ? new[] { new[] { kernelSize, width / groups, filters }, new[] { filters } }
                : new[] { new[] { kernelSize, width / groups, filters } };
            Tensor[] w = _weights.Read(entry.Label, entry.Json, names, shapes);
            return new Conv1DLayerSpec(entry.Name, width, filters, kernelSize, stride, dilation, padding, groups, activation, w[0], useBias ? w[1] : null);
        }

        /// <summary>
        /// Keras <c>DepthwiseConv1D</c>: a Conv1D with groups = in and in · depth_multiplier filters, output channel
        /// c · depth_multiplier + j reading input channel c with depthwise_kernel[:, c, j] (TensorFlow's
        /// depthwise_conv2d order), so the depthwise_kernel (k, in, m) is the kernel (k, 1, in · m) as it stands.
        /// </summary>
        private Conv1DLayerSpec DepthwiseConv1D(LayerEntry entry, LayerConfig config, int width)
        {
            Depthwise geometry = ReadDepthwise(entry, config, width);
            Activation activation = config.ReadActivation("activation", Activation.Linear, allowSoftmax: true);
            bool useBias = config.ReadBool("use_bias", true);
            int channels = width * geometry.Multiplier;
            string[] names = useBias ? new[] { "depthwise_kernel", "bias" } : new[] { "depthwise_kernel" };
            int[][] shapes = useBias
                ? new[] { new[] { geometry.KernelSize, width, geometry.Multiplier }, new[] { channels } }
                : new[] { new[] { geometry.KernelSize, width, geometry.Multiplier } };
            Tensor[] w = _weights.Read(entry.Label, entry.Json, names, shapes);
            return new Conv1DLayerSpec(entry.Name, width, channels, geometry.KernelSize, geometry.Stride, geometry.Dilation, geometry.Padding,
                width, activation, AsGrouped(w[0], channels), useBias ? w[1] : null, "DepthwiseConv1D", Depthwise: true);
        }

        /// <summary>The depthwise_kernel (k, in, m) as the grouped Conv1D kernel (k, 1, in · m): the same numbers in the same order.</summary>
        private static Tensor AsGrouped(Tensor depthwiseKernel, int channels)
        {
            var values = new float[depthwiseKernel.Length];
            for (int i = 0; i < values.Length; i++) values[i] = depthwiseKernel.Values[i];
            return new Tensor(values, new[] { depthwiseKernel.Shape[0], 1, channels });
        }

        private readonly struct Depthwise
        {
            public Depthwise(int kernelSize, int stride, int dilation, WindowPadding padding, int multiplier)
            {
                KernelSize = kernelSize;
                Stride = stride;
                Dilation = dilation;
                Padding = padding;
                Multiplier = multiplier;
            }

            public int KernelSize { get; }

            public int Stride { get; }

            public int Dilation { get; }

            public WindowPadding Padding { get; }

            public int Multiplier { get; }
        }

        /// <summary>What DepthwiseConv1D and SeparableConv1D share (Keras 2 and Keras 3 keys): the window and depth_multiplier.</summary>
        private Depthwise ReadDepthwise(LayerEntry entry, LayerConfig config, int width)
        {
            config.ReadNode("data_format"); // read by the chain builder (channels_first: transposes around this)
            int kernelSize = ReadWindowInt(config, "kernel_size", null);
            int stride = ReadWindowInt(config, "strides", 1);
            int dilation = ReadWindowInt(config, "dilation_rate", 1);
            // Keras 2 allows causal padding for SeparableConv1D (not for DepthwiseConv1D); Keras 3 for neither.
            bool separable = entry.ClassName == "SeparableConv1D";
            WindowPadding padding = ReadPadding(config, allowCausal: separable,
                separable ? null : " (Keras's DepthwiseConv1D has no causal padding; Conv1D and SeparableConv1D have)");
            JsonNode? multiplierNode = config.ReadNode("depth_multiplier");
            int multiplier = multiplierNode is null || multiplierNode.Kind == JsonKind.Null ? 1 : config.ReadPositiveInt("depth_multiplier");
            // Keras 2 writes Conv's groups (always 1) into DepthwiseConv1D's config.
            JsonNode? groups = config.ReadNode("groups");
            if (groups is not null && groups.Kind != JsonKind.Null && !(groups is JsonNumber { Value: 1 }))
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, groups, entry.Label, "groups", Shown(groups),
                    entry.ClassName + " convolves every input channel on its own; groups other than 1 are not supported");
            }
            config.RequireNull("lora_rank", "LoRA-adapted " + entry.ClassName + " layers are not supported; merge the adapter into the kernel before exporting");
            config.RequireNull("quantization_config", "quantized " + entry.ClassName + " layers are not supported; export float32 weights");
            foreach (string key in s_depthwiseTrainingKeys) config.ReadNode(key);
            if (stride > 1 && dilation > 1)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, config.ReadNode("dilation_rate"), entry.Label, "dilation_rate", IntText(dilation),
                    "Keras does not allow strides > 1 together with dilation_rate > 1");
            }
            if ((long)width * multiplier > ModelLimits.MaxUnits)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, multiplierNode, entry.Label, "depth_multiplier", IntText(multiplier),
                    "the " + IntText(width) + " input channels times depth_multiplier make more than " + IntText(ModelLimits.MaxUnits) + " channels");
            }
            return new Depthwise(kernelSize, stride, dilation, padding, multiplier);
        }

        private Pooling1DLayerSpec Pooling(LayerEntry entry, LayerConfig config, int width)
        {
            config.ReadNode("data_format"); // read by the chain builder (channels_first: transposes around this)
            int poolSize = ReadWindowInt(config, "pool_size", 2);
            // Keras: strides null (or absent) means pool_size.
            int stride = ReadWindowInt(config, "strides", poolSize);
            WindowPadding padding = ReadPadding(config, allowCausal: false);
            return new Pooling1DLayerSpec(entry.Name, width, entry.ClassName == "MaxPooling1D", poolSize, stride, padding);
        }

        private ZeroPadding1DLayerSpec ZeroPadding(LayerEntry entry, LayerConfig config, int width)
        {
            (int before, int after) = ReadPair(config, "padding", 1);
            return new ZeroPadding1DLayerSpec(entry.Name, width, before, after);
        }

        private Cropping1DLayerSpec Cropping(LayerEntry entry, LayerConfig config, int width)
        {
            (int before, int after) = ReadPair(config, "cropping", 1);
            return new Cropping1DLayerSpec(entry.Name, width, before, after);
        }

        /// <summary>A window option: a whole number ≥ 1, alone or as a one-element list ([3], as Keras writes it); null or absent: <paramref name="defaultValue"/>.</summary>
        private int ReadWindowInt(LayerConfig config, string key, int? defaultValue)
        {
            JsonNode? node = config.ReadNode(key);
            if ((node is null || node.Kind == JsonKind.Null) && defaultValue is int fallback) return fallback;
            JsonNode? value = node is JsonArray { Items.Count: 1 } list ? list.Items[0] : node;
            if (value is JsonNumber number && number.IsInteger && number.Value >= 1 && number.Value <= ModelLimits.MaxUnits) return (int)number.Value;
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, config.Label, key, node is null ? "missing" : Shown(node),
                "expected a whole number from 1 to " + IntText(ModelLimits.MaxUnits) + ", or a list of one");
        }

        /// <summary>ZeroPadding1D's padding, Cropping1D's cropping: one whole number ≥ 0 for both ends, or [before, after].</summary>
        private (int Before, int After) ReadPair(LayerConfig config, string key, int defaultValue)
        {
            JsonNode? node = config.ReadNode(key);
            if (node is null || node.Kind == JsonKind.Null) return (defaultValue, defaultValue);
            if (Count(node) is int both) return (both, both);
            if (node is JsonArray { Items.Count: 2 } pair && Count(pair.Items[0]) is int before && Count(pair.Items[1]) is int after) return (before, after);
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, config.Label, key, Shown(node), "expected a whole number from 0 to " + IntText(ModelLimits.MaxUnits) + " for both ends, or [before, after]");

            static int? Count(JsonNode? value) => value is JsonNumber n && n.IsInteger && n.Value >= 0 && n.Value <= ModelLimits.MaxUnits ? (int)n.Value : null;
        }

        /// <param name="why">Added to the message of a rejected value (why causal is not allowed here).</param>
        private WindowPadding ReadPadding(LayerConfig config, bool allowCausal, string? why = null)
        {
            JsonNode? node = config.ReadNode("padding");
            if (node is null || node.Kind == JsonKind.Null) return WindowPadding.Valid;
            switch ((node as JsonString)?.Value)
            {
                case "valid":
                    return WindowPadding.Valid;
                case "same":
                    return WindowPadding.Same;
                case "causal" when allowCausal:
                    return WindowPadding.Causal;
            }
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, config.Label, "padding", Shown(node), (allowCausal ? "expected valid, same or causal" : "expected valid or same") + why);
        }

        /// <summary>
        /// Keras <c>data_format</c> of a Conv1D, DepthwiseConv1D, SeparableConv1D, pooling or global pooling layer:
        /// true for channels_first ([channels, steps] per sample), false for channels_last (the default; tfjs writes
        /// channelsLast / channelsFirst).
        /// </summary>
        public static bool ChannelsFirst(ReadContext context, LayerConfig config)
        {
            JsonNode? node = config.ReadNode("data_format");
            if (node is null || node.Kind == JsonKind.Null) return false;
            switch ((node as JsonString)?.Value)
            {
                case "channels_last":
                case "channelsLast":
                    return false;
                case "channels_first":
                case "channelsFirst":
                    return true;
            }
            throw context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, config.Label, "data_format", Shown(node),
                "expected channels_last ([timesteps, features], the default) or channels_first ([channels, steps])");
        }

        /// <summary>A value as the message shows it: numbers and short lists of numbers as written, a string's text, else what it is.</summary>
        internal static string Shown(JsonNode node)
        {
            switch (node)
            {
                case JsonNumber number:
                    return number.Value.ToString("R", CultureInfo.InvariantCulture);
                case JsonString text:
                    return text.Describe().Substring("string ".Length);
                case JsonArray { Count: > 0 and <= 4 } list when list.Items.All(item => item is JsonNumber):
                    return "[" + string.Join(", ", list.Items.Select(Shown)) + "]";
                default:
                    return node.Describe();
            }
        }

        private static string Steps(int steps) => steps.ToString("N0", CultureInfo.InvariantCulture) + (steps == 1 ? " timestep" : " timesteps");

        private static string Rows(int rows) => rows.ToString("N0", CultureInfo.InvariantCulture) + (rows == 1 ? " row" : " rows");

        private static string IntText(long value) => IntLiteral.Format(value);
    }
}
