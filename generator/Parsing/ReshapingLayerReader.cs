using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the layers that change a sequence's shape: RepeatVector, Flatten, GlobalAveragePooling1D /
    /// GlobalMaxPooling1D. Keys that would change the numbers and are not computed are errors located at the key.
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
            if (ReadDataFormat(config, entry.Label))
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, config.ReadNode("data_format"), entry.Label, "data_format", "channels_first", "pooling over the feature axis is not supported; use channels_last (the default)");
            }
            config.RequireBool("keepdims", false, "keepdims=true keeps a time axis of length 1; not supported, use keepdims=false (the default)");
            if (!isSequence)
            {
                throw _context.Invalid(entry.Described + " receives a single vector; it pools a sequence over its timesteps", entry.Json);
            }
            return new GlobalPoolingLayerSpec(entry.Name, width, max);
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
