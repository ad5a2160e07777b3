using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// A weight the import step wrote compactly: {"shape": [...], "data": base64 of little-endian float32}. Checked as
    /// strictly as a nested list: the shape against the layer's, the byte count against the shape, every value finite.
    /// </summary>
    internal static class EncodedTensor
    {
        public static Tensor Read(ReadContext context, string layerName, string name, JsonObject node, int[] expectedShape)
        {
            string label = node["name"] is JsonString original ? name + " ('" + original.Value + "')" : name;
            int[] shape = Shape(node["shape"]);
            if (!Same(shape, expectedShape))
            {
                throw context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, label, "has shape " + WeightReader.ShapeText(shape), WeightReader.ShapeText(expectedShape));
            }
            long count = 1;
            foreach (int dim in expectedShape) count *= dim;

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(((JsonString)node["data"]!).Value);
            }
            catch (FormatException)
            {
                throw context.Fail(DiagnosticDescriptors.ImportFailed, context.FileName, "the data of " + label + " in the converted copy under obj/ is damaged; rebuild the project");
            }
            if (bytes.LongLength != count * 4)
            {
                throw context.FailAt(DiagnosticDescriptors.WeightShapeMismatch, node, layerName, label,
                    "has " + WeightReader.Count(bytes.LongLength, "byte") + " of data", WeightReader.ShapeText(expectedShape) + " = " + (count * 4).ToString(CultureInfo.InvariantCulture) + " bytes");
            }
            var values = new float[count];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("LstmGen needs a little-endian machine");
            }
            for (int i = 0; i < values.Length; i++)
            {
                if (float.IsNaN(values[i]) || float.IsInfinity(values[i]))
                {
                    context.Diagnostics.Add(context.Create(DiagnosticDescriptors.NonFiniteWeight, node, layerName, label,
                        values[i].ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)));
                    break;
                }
            }
            return new Tensor(values, expectedShape);
        }

        private static int[] Shape(JsonNode? node)
        {
            var dims = new List<int>();
            if (node is JsonArray array)
            {
                foreach (JsonNode item in array.Items)
                {
                    dims.Add(item is JsonNumber { IsInteger: true } n && n.Value >= 0 && n.Value <= int.MaxValue ? (int)n.Value : -1);
                }
            }
            return dims.ToArray();
        }

        private static bool Same(int[] a, int[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
