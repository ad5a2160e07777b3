using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Turns a layer's <c>"weights"</c> (nested JSON arrays, one per <c>get_weights()</c> entry) into
    /// float32 tensors, checking that every array is rectangular, numeric and inside the float range.
    /// </summary>
    internal sealed class WeightReader
    {
        private readonly ReadContext _context;
        private long _parameters;

        public WeightReader(ReadContext context)
        {
            _context = context;
        }

        /// <summary>Reads the layer's weight list and checks it has exactly the named arrays with the expected shapes.</summary>
        public Tensor[] Read(string layerName, JsonObject layer, string[] names, int[][] shapes)
        {
            JsonNode? weights = layer["weights"];
            string expectedList = string.Join(", ", names);
            if (weights is null || weights.Kind == JsonKind.Null)
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, layer, layerName, "'weights'", "none (the layer has no \"weights\" key)", names.Length + " arrays (" + expectedList + ")");
            }
            if (weights is not JsonArray list)
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, weights, layerName, "'weights'", weights.Describe(), "a list of " + names.Length + " arrays (" + expectedList + ")");
            }
            if (list.Count != names.Length)
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, list, layerName, "'weights'", list.Count + " arrays", names.Length + " arrays (" + expectedList + ")");
            }

            CheckBudget(layerName, layer, shapes);
            var tensors = new Tensor[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                tensors[i] = ReadTensor(layerName, names[i], list.Items[i], shapes[i]);
            }
            return tensors;
        }

        private Tensor ReadTensor(string layerName, string name, JsonNode node, int[] expectedShape)
        {
            if (node is JsonObject encoded && encoded["data"] is JsonString)
            {
                return EncodedTensor.Read(_context, layerName, name, encoded, expectedShape);
            }
            var shape = new List<int>();
            JsonNode probe = node;
            while (probe is JsonArray array)
            {
                shape.Add(array.Count);
                if (array.Count == 0) break;
                probe = array.Items[0];
            }

            int[] actual = shape.ToArray();
            if (!SameShape(actual, expectedShape))
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, name, ShapeText(actual), ShapeText(expectedShape));
            }

            int total = 1;
            foreach (int dim in expectedShape) total *= dim;
            var values = new float[total];
            int written = 0;
            bool warnedNonFinite = false;
            Flatten(layerName, name, node, 0, expectedShape, values, ref written, ref warnedNonFinite);
            return new Tensor(values, expectedShape);
        }

        private void Flatten(string layerName, string name, JsonNode node, int depth, int[] shape, float[] values, ref int written, ref bool warnedNonFinite)
        {
            if (depth == shape.Length)
            {
                if (node is not JsonNumber number)
                {
                    throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, name, "a " + node.Describe() + " at index " + written + " (line " + node.Line + ")", "numbers only, shape " + ShapeText(shape));
                }
                double value = number.Value;
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    if (!warnedNonFinite)
                    {
                        warnedNonFinite = true;
                        _context.Diagnostics.Add(_context.Create(DiagnosticDescriptors.NonFiniteWeight, node, layerName, name, value.ToString(CultureInfo.InvariantCulture), written.ToString(CultureInfo.InvariantCulture)));
                    }
                }
                else if (Math.Abs(value) > float.MaxValue)
                {
                    // Would round to infinity: a file that is not really float32 weights.
                    throw _context.FailAt(DiagnosticDescriptors.WeightOutOfRange, node, layerName, name, value.ToString("R", CultureInfo.InvariantCulture), written.ToString(CultureInfo.InvariantCulture));
                }
                values[written++] = (float)value;
                return;
            }

            if (node is not JsonArray array || array.Count != shape[depth])
            {
                string actual = node is JsonArray a ? "a row of " + a.Count : "a " + node.Describe();
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, name, actual + " at line " + node.Line + " (ragged array)", ShapeText(shape));
            }
            foreach (JsonNode item in array.Items)
            {
                Flatten(layerName, name, item, depth + 1, shape, values, ref written, ref warnedNonFinite);
            }
        }

        /// <summary>Refuses a model over the parameter limit before its weights are converted.</summary>
        private void CheckBudget(string layerName, JsonObject layer, int[][] shapes)
        {
            foreach (int[] shape in shapes)
            {
                long size = 1;
                foreach (int dim in shape) size *= dim;
                _parameters += size;
            }
            if (_parameters > ModelLimits.MaxParameters)
            {
                throw _context.FailAt(
                    DiagnosticDescriptors.ModelTooLarge, layer, _context.FileName,
                    "layer '" + layerName + "' brings it to " + IntLiteral.Format(_parameters) + " parameters",
                    IntLiteral.Format(ModelLimits.MaxParameters) + " parameters");
            }
        }

        private static bool SameShape(int[] actual, int[] expected)
        {
            if (actual.Length != expected.Length) return false;
            for (int i = 0; i < actual.Length; i++)
            {
                if (actual[i] != expected[i]) return false;
            }
            return true;
        }

        internal static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";
    }
}
