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
        private readonly LocationInfo? _location;
        private readonly List<DiagnosticInfo> _diagnostics;

        public WeightReader(LocationInfo? location, List<DiagnosticInfo> diagnostics)
        {
            _location = location;
            _diagnostics = diagnostics;
        }

        /// <summary>Reads the layer's weight list and checks it has exactly the named arrays with the expected shapes.</summary>
        public Tensor[] Read(string layerName, JsonObject layer, string[] names, int[][] shapes)
        {
            JsonNode? weights = layer["weights"];
            string expectedList = string.Join(", ", names);
            if (weights is null || weights.Kind == JsonKind.Null)
            {
                throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, "'weights'", "none (the layer has no \"weights\" key)", names.Length + " arrays (" + expectedList + ")");
            }
            if (weights is not JsonArray list)
            {
                throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, "'weights'", weights.Describe(), "a list of " + names.Length + " arrays (" + expectedList + ")");
            }
            if (list.Count != names.Length)
            {
                throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, "'weights'", list.Count + " arrays", names.Length + " arrays (" + expectedList + ")");
            }

            var tensors = new Tensor[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                tensors[i] = ReadTensor(layerName, names[i], list.Items[i], shapes[i]);
            }
            return tensors;
        }

        private Tensor ReadTensor(string layerName, string name, JsonNode node, int[] expectedShape)
        {
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
                throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, name, ShapeText(actual), ShapeText(expectedShape));
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
                    throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, name, "a " + node.Describe() + " at index " + written + " (line " + node.Line + ")", "numbers only, shape " + ShapeText(shape));
                }
                double value = number.Value;
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    if (!warnedNonFinite)
                    {
                        warnedNonFinite = true;
                        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonFiniteWeight, _location, layerName, name, value.ToString(CultureInfo.InvariantCulture), written.ToString(CultureInfo.InvariantCulture)));
                    }
                }
                else if (Math.Abs(value) > float.MaxValue)
                {
                    // Would round to infinity: a file that is not really float32 weights.
                    throw Fail(DiagnosticDescriptors.WeightOutOfRange, layerName, name, value.ToString("R", CultureInfo.InvariantCulture), written.ToString(CultureInfo.InvariantCulture));
                }
                values[written++] = (float)value;
                return;
            }

            if (node is not JsonArray array || array.Count != shape[depth])
            {
                string actual = node is JsonArray a ? "a row of " + a.Count : "a " + node.Describe();
                throw Fail(DiagnosticDescriptors.WeightShapeMismatch, layerName, name, actual + " at line " + node.Line + " (ragged array)", ShapeText(shape));
            }
            foreach (JsonNode item in array.Items)
            {
                Flatten(layerName, name, item, depth + 1, shape, values, ref written, ref warnedNonFinite);
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

        private static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

        private ModelReadException Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] args)
            => new ModelReadException(DiagnosticInfo.Create(descriptor, _location, args));
    }
}
