using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Typed access to one layer's <c>"config"</c> object. Every key is accounted for: read keys, keys that
    /// cannot change inference (initializers, regularizers, dropout rates...), and the rest, which get a warning.
    /// </summary>
    internal sealed class LayerConfig
    {
        /// <summary>Keys any layer may carry that do not matter at inference.</summary>
        private static readonly HashSet<string> s_commonIgnored = new HashSet<string>
        {
            "name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "input_dim",
            "input_length", "batch_size", "autocast", "synchronized", "seed",
            "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
            "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint",
            "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
            "dropout", "recurrent_dropout", "rate", "noise_shape", "stddev", "l1", "l2",
            "implementation", "unroll", "use_cudnn", "zero_output_for_mask", "lora_alpha",
            "sparse", "ragged", "input_tensor", "optional",
        };

        private readonly JsonObject _config;
        private readonly HashSet<string> _used = new HashSet<string>();
        private readonly ReadContext _context;

        /// <param name="label">The layer as messages name it (see <see cref="LayerEntry.Label"/>).</param>
        public LayerConfig(string layerName, string label, string className, JsonObject config, bool keras3, ReadContext context)
        {
            LayerName = layerName;
            Label = label;
            ClassName = className;
            _config = config;
            Keras3 = keras3;
            _context = context;
        }

        public string LayerName { get; }

        public string Label { get; }

        public string ClassName { get; }

        public bool Keras3 { get; }

        /// <summary>The raw value of <paramref name="key"/> (null when absent), which counts as read.</summary>
        public JsonNode? ReadNode(string key)
        {
            _used.Add(key);
            return _config[key];
        }

        public int ReadPositiveInt(string key)
        {
            _used.Add(key);
            JsonNode? node = _config[key];
            if (node is JsonNumber number && number.IsInteger && number.Value >= 1 && number.Value <= ModelLimits.MaxUnits)
            {
                return (int)number.Value;
            }
            string actual = node is null ? "missing" : node is JsonNumber n ? n.Value.ToString(CultureInfo.InvariantCulture) : node.Describe();
            throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedOption, node ?? _config, Label, key, actual, "it must be a whole number from 1 to " + IntLiteral.Format(ModelLimits.MaxUnits)));
        }

        public bool ReadBool(string key, bool defaultValue)
        {
            _used.Add(key);
            JsonNode? node = _config[key];
            if (node is null || node.Kind == JsonKind.Null) return defaultValue;
            if (node.Kind == JsonKind.True) return true;
            if (node.Kind == JsonKind.False) return false;
            throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedOption, node, Label, key, node.Describe(), "expected true or false"));
        }

        /// <summary>Accepts a key only at the value that LstmGen computes; anything else is an error, never ignored.</summary>
        public void RequireBool(string key, bool supportedValue, string reason)
        {
            if (ReadBool(key, supportedValue) != supportedValue)
            {
                throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedOption, _config[key], Label, key, supportedValue ? "false" : "true", reason));
            }
        }

        /// <summary>Accepts a key only when it is absent or null.</summary>
        public void RequireNull(string key, string reason)
        {
            _used.Add(key);
            JsonNode? node = _config[key];
            if (node is not null && node.Kind != JsonKind.Null)
            {
                throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedOption, node, Label, key, node.Describe(), reason));
            }
        }

        public Activation ReadActivation(string key, Activation defaultValue, bool allowSoftmax)
        {
            _used.Add(key);
            JsonNode? node = _config[key];
            if (node is null || node.Kind == JsonKind.Null) return defaultValue;

            // Keras 3 may serialise a built-in function as {"class_name": "function", "config": "tanh", ...}.
            string? name = node switch
            {
                JsonString s => s.Value,
                JsonObject o when o["config"] is JsonString c => c.Value,
                JsonObject o when o["class_name"] is JsonString c => c.Value,
                _ => null,
            };
            string supported = allowSoftmax ? ActivationNames.SupportedWithSoftmax : ActivationNames.Supported;
            if (name is null)
            {
                throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedActivation, node, Label, key, node.Describe(), supported));
            }
            if (!ActivationNames.TryResolve(name, Keras3, out Activation activation) || (activation == Activation.Softmax && !allowSoftmax))
            {
                throw new ModelReadException(_context.Create(DiagnosticDescriptors.UnsupportedActivation, node, Label, key, name, supported));
            }
            return activation;
        }

        /// <summary>"did you mean" when a key LstmGen reads (or knows to ignore) is a typo away, else what to check.</summary>
        private string Advice(string key)
        {
            var known = new List<string>();
            foreach (string candidate in _used) if (_config[candidate] is null) known.Add(candidate);
            foreach (string candidate in s_commonIgnored) if (_config[candidate] is null) known.Add(candidate);
            known.Sort(StringComparer.Ordinal); // ties go to the same key on every build
            string? closest = EditDistance.Closest(key, known);
            return closest is null ? "check that it does not change inference" : "did you mean '" + closest + "'?";
        }

        /// <summary>Warns about every key that was neither read nor known to be irrelevant at inference.</summary>
        public void ReportUnknownKeys(List<DiagnosticInfo> diagnostics)
        {
            foreach (KeyValuePair<string, JsonNode> member in _config.Members)
            {
                if (!_used.Contains(member.Key) && !s_commonIgnored.Contains(member.Key))
                {
                    diagnostics.Add(_context.Create(DiagnosticDescriptors.UnknownOption, member.Value, Label, member.Key, Advice(member.Key)));
                }
            }
        }
    }
}
