using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the layers that change a sequence's shape: RepeatVector, Flatten, GlobalAveragePooling1D /
    /// GlobalMaxPooling1D, Permute. Keys that would change the numbers and are not computed are errors located at the key.
    /// </summary>
    internal sealed class ReshapingLayerReader
    {
        /// <summary>Flatten's output is one vector in the generated code; beyond this it would not fit its buffers.</summary>
        private const int MaxFlattenFloats = ModelLimits.MaxParameters;

        private readonly ReadContext _context;

        public ReshapingLayerReader(ReadContext context)
        {
            _context = context;
        }

        public LayerSpec RepeatVector(LayerEntry entry, LayerConfig config, bool isSequence, int width)
        {
            if (isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a sequence; it repeats a single vector (put it after a layer with return_sequences=false, Flatten or global pooling)", entry.Json);
            }
            int n = config.ReadPositiveInt("n");
            if ((long)n * width > MaxFlattenFloats)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, config.ReadNode("n"), entry.Label, "n", IntLiteral(n), "n × " + IntLiteral(width) + " features is more than " + IntLiteral(MaxFlattenFloats) + " floats");
            }
            return new RepeatVectorLayerSpec(entry.Name, width, n);
        }

        public LayerSpec Flatten(LayerEntry entry, LayerConfig config, bool isSequence, int width, int? steps)
        {
            bool channelsFirst = ReadDataFormat(config, entry.Label);
            if (!isSequence)
            {
                return new FlattenLayerSpec(entry.Name, width, 1, InputIsSequence: false, ChannelsFirst: false);
            }
            if (steps is not int t)
            {
                throw _context.Invalid(entry.Described + " needs a fixed number of timesteps (its output has timesteps × " + IntLiteral(width) + " floats), but the model accepts any number; give the input a fixed length", entry.Json);
            }
            if ((long)t * width > MaxFlattenFloats)
            {
                throw _context.Invalid(entry.Described + ": " + IntLiteral(t) + " timesteps × " + IntLiteral(width) + " features is more than " + IntLiteral(MaxFlattenFloats) + " floats", entry.Json);
            }
            return new FlattenLayerSpec(entry.Name, width, t, InputIsSequence: true, channelsFirst);
        }

        public LayerSpec GlobalPooling(LayerEntry entry, LayerConfig config, bool isSequence, int width)
        {
            bool max = entry.ClassName == "GlobalMaxPooling1D";
            config.ReadNode("data_format"); // read by the chain builder (channels_first: a transpose before this)
            config.RequireBool("keepdims", false, "keepdims=true keeps a time axis of length 1; not supported, use keepdims=false (the default)");
            if (!isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a single vector; it pools a sequence over its timesteps", entry.Json);
            }
            return new GlobalPoolingLayerSpec(entry.Name, width, max);
        }

        /// <summary>
        /// Keras <c>Permute</c> on a sequence, whose sample is [timesteps, features]: dims (2, 1) transposes it (rows and
        /// features swap, so the rows must be fixed), dims (1, 2) is the identity.
        /// </summary>
        public LayerSpec Permute(LayerEntry entry, LayerConfig config, bool isSequence, int width, int? steps)
        {
            JsonNode? node = config.ReadNode("dims");
            if (!isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a single vector; LstmGen compiles Permute on a sequence ([timesteps, features]), with dims (2, 1)", entry.Json);
            }
            bool swap;
            if (node is JsonArray { Items.Count: 2 } dims && dims.Items[0] is JsonNumber { Value: 2 } && dims.Items[1] is JsonNumber { Value: 1 }) swap = true;
            else if (node is JsonArray { Items.Count: 2 } same && same.Items[0] is JsonNumber { Value: 1 } && same.Items[1] is JsonNumber { Value: 2 }) swap = false;
            else
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node ?? entry.Json["class_name"], entry.Label, "dims", node is null ? "missing" : SequenceLayerReader.Shown(node),
                    "a sample here is [timesteps, features] (rank 2), so dims is (2, 1), which swaps them, or (1, 2), which keeps them");
            }
            if (!swap)
            {
                return new IdentityLayerSpec(entry.Name, "Permute", width, IsSequence: true);
            }
            if (steps is not int rows)
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, entry.Label, "dims", "[2, 1]",
                    "on a sequence of any length: the timesteps would become the features, whose number must be fixed; give the model input a fixed length");
            }
            if ((long)rows * width > MaxFlattenFloats)
            {
                throw _context.Invalid(entry.Described + ": " + IntLiteral(rows) + " timesteps × " + IntLiteral(width) + " features is more than " + IntLiteral(MaxFlattenFloats) + " floats", entry.Json);
            }
            return new PermuteLayerSpec(entry.Name, width, rows);
        }

        /// <summary>True for channels_first; Keras 2 / 3 write channels_last, tfjs channelsLast.</summary>
        private bool ReadDataFormat(LayerConfig config, string layer)
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
            throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, node, layer, "data_format", node.Describe(), "expected channels_last or channels_first");
        }

        private static string IntLiteral(long value) => global::LstmGen.Generator.IntLiteral.Format(value);
    }
}
