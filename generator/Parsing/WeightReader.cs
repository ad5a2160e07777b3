using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;
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
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, layer, layerName, "'weights'", "is missing (the layer has no \"weights\" key)", Count(names.Length, "array") + " (" + expectedList + ")");
            }
            if (weights is not JsonArray list)
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, weights, layerName, "'weights'", "is " + WhatIs(weights), "a list of " + Count(names.Length, "array") + " (" + expectedList + ")");
            }
            if (list.Count != names.Length)
            {
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, list, layerName, "'weights'", "holds " + Count(list.Count, "array"), Count(names.Length, "array") + " (" + expectedList + ")");
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
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, name, "has shape " + ShapeText(actual), ShapeText(expectedShape));
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
                    throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, name, "holds " + WhatIs(node) + " at index " + written, "numbers only (shape " + ShapeText(shape) + ")");
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
                // A ragged list: name the row by its place, e.g. row 3 of kernel (kernel[2] in Python).
                string where = depth == 0 ? name : RowOf(name, shape, depth, written);
                string actual = node is JsonArray a ? "has " + Count(a.Count, "value") : "is " + WhatIs(node);
                throw _context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, where, actual, Count(shape[depth], "value") + " (shape " + ShapeText(shape) + ")");
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
                    "layer " + layerName + " brings it to " + IntLiteral.Format(_parameters) + " parameters",
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

        /// <summary>The node with its article: a string "x", an array of 3 values, an object, true, null.</summary>
        private static string WhatIs(JsonNode node) => node switch
        {
            JsonArray array => "an array of " + Count(array.Count, "value"),
            JsonObject => "an object",
            JsonString or JsonNumber => "a " + node.Describe(),
            _ => node.Describe(),
        };

        internal static string Count(long count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

        /// <summary>
        /// The sub-list at <paramref name="depth"/> that starts at flat index <paramref name="written"/>: "row 3 of
        /// kernel" for a matrix, "kernel[1][2]" deeper (1-based rows read naturally; deeper, Python's indices do).
        /// </summary>
        private static string RowOf(string name, int[] shape, int depth, int written)
        {
            var index = new int[depth];
            int stride = 1;
            for (int d = depth; d < shape.Length; d++) stride *= shape[d];
            int flat = written / stride;
            for (int d = depth - 1; d >= 0; d--)
            {
                index[d] = flat % shape[d];
                flat /= shape[d];
            }
            if (depth == 1) return "row " + (index[0] + 1).ToString(CultureInfo.InvariantCulture) + " of " + name;
            string text = name;
            foreach (int i in index) text += "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            return text;
        }
    }
}
