using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits a weight tensor as <c>ReadOnlySpan&lt;float&gt; Name =&gt; new float[] { ... }</c>: the compiler stores
    /// the values as constant data in the assembly (RuntimeHelpers.CreateSpan), so reading them allocates
    /// nothing and needs no static constructor. Large tensors are stored instead as the bits of their floats in a
    /// string constant, read through <c>MemoryMarshal.Cast&lt;char, float&gt;</c>: the compiler reads one string
    /// escape far faster than it parses and binds a float literal (a million weights: about 3 s against 11 s), and
    /// the string is as constant (a literal the runtime interns once). Strings are limited per assembly, so past
    /// the model's share of them (<see cref="Model.StringBudget"/>) large tensors become base64 constant data,
    /// decoded straight into the aligned block (<see cref="EncodedWeightsEmitter"/>). Every other constant is
    /// <c>{Name}Source</c>; the kernels read <c>{Name}</c>, its copy in the model's aligned block
    /// (<see cref="AlignedWeightsEmitter"/>).
    /// </summary>
    internal static class WeightsEmitter
    {
        private const int ValuesPerLine = 8;

        /// <summary>Tensors from this size on are stored as strings; smaller ones stay readable float literals.</summary>
        public const int StringThreshold = 1024;

        /// <param name="panels">Whether a matrix is stored in panels for the GEMV kernels; false keeps it row-major (a lookup table).</param>
        /// <param name="matrices">The matrices a one-dimensional tensor holds in panels, laid out by the caller (convolution taps).</param>
        public static void Emit(IndentedWriter w, string name, string description, Tensor tensor, bool panels = true, IReadOnlyList<PanelMatrix>? matrices = null)
        {
            IReadOnlyList<float> values = tensor.Values;
            string layout = "row-major";
            if (tensor.Shape.Count == 2 && panels)
            {
                int rows = tensor.Shape[0], columns = tensor.Shape[1];
                values = PanelLayout.Reorder(values, rows, columns);
                if (PanelLayout.HasPanels(columns))
                {
                    layout = $"in panels of {PanelLayout.Width} columns (see PanelLayout), each row-major";
                    matrices = new[] { new PanelMatrix(0, rows, columns) };
                }
            }
            bool large = values.Count >= StringThreshold;
            bool encoded = large && !w.Weights.TryTakeString(values.Count);
            int offset = w.Weights.Align(name, values.Count, encoded, matrices);
            w.Line($"/// <summary>{CommentText.Xml(description)}, shape {tensor.ShapeText}, {layout}; read from the aligned block.</summary>");
            w.Line($"internal static ReadOnlySpan<float> {name} => {AlignedWeightsEmitter.ClassName}.Slice({offset.ToString(CultureInfo.InvariantCulture)}, {values.Count.ToString(CultureInfo.InvariantCulture)});");
            name += "Source";
            if (encoded)
            {
                // No Source property: the aligned block decodes the base64 straight into its place.
                w.Weights.Encoded.Add(new KeyValuePair<string, IReadOnlyList<float>>(name, values));
                return;
            }
            w.Line();
            if (large)
            {
                EmitBits(w, name, values);
                return;
            }
            if (w.DebugBuild)
            {
                // Unoptimized, `=> new float[] { ... }` creates the array on every read: create it once.
                w.Line($"private static ReadOnlySpan<float> {name} => {name}Values;");
                w.Line();
                w.Line($"private static readonly float[] {name}Values = new float[]");
            }
            else
            {
                w.Line($"private static ReadOnlySpan<float> {name} => new float[]");
            }
            w.Line("{");
            w.Indent();
            var line = new StringBuilder();
            int count = 0;
            foreach (float value in values)
            {
                if (count > 0) line.Append(' ');
                line.Append(FloatLiteral.Format(value)).Append(',');
                if (++count == ValuesPerLine)
                {
                    w.Line(line.ToString());
                    line.Clear();
                    count = 0;
                }
            }
            if (count > 0) w.Line(line.ToString());
            w.Outdent();
            w.Line("};");
        }

        /// <summary>
        /// The string form: each float's IEEE bits as two UTF-16 units, low half first (the memory order of a
        /// little-endian float, which every .NET 8 target is), so the string's characters are the floats' bytes.
        /// One literal on one line, inside the property: split into concatenated pieces, the analyzers of a normal
        /// build walk every '+' (a million weights: 10 s against 3 s), and a const field would store it twice.
        /// </summary>
        private static void EmitBits(IndentedWriter w, string name, IReadOnlyList<float> values)
        {
            w.Line($"private static ReadOnlySpan<float> {name} => MemoryMarshal.Cast<char, float>(");
            w.Indent();
            var literal = new StringBuilder(values.Count * 12 + 16).Append('"');
            foreach (float value in values)
            {
                uint bits = unchecked((uint)FloatBits(value));
                AppendEscape(literal, bits & 0xFFFF);
                AppendEscape(literal, bits >> 16);
            }
            w.Line(literal.Append("\".AsSpan());").ToString());
            w.Outdent();
        }

        private static void AppendEscape(StringBuilder text, uint unit)
            => text.Append("\\u").Append(unit.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));

        internal static int FloatBits(float value) => new FloatOrBits { Float = value }.Bits;

        /// <summary>The bits of a float without unsafe code (BitConverter.SingleToInt32Bits is not in netstandard2.0).</summary>
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
        private struct FloatOrBits
        {
            [System.Runtime.InteropServices.FieldOffset(0)]
            public float Float;

            [System.Runtime.InteropServices.FieldOffset(0)]
            public int Bits;
        }
    }
}
