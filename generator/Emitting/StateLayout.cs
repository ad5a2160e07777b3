using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Where each recurrent layer's state lives in the generated <c>State</c> struct: h (every recurrent layer),
    /// then c (LSTM), layer after layer, in one inline float array.
    /// </summary>
    internal static class StateLayout
    {
        internal readonly struct Entry
        {
            public Entry(int layer, bool cell, int offset, int size, RecurrentLayerSpec spec)
            {
                Layer = layer;
                IsCell = cell;
                Offset = offset;
                Size = size;
                Spec = spec;
            }

            /// <summary>1-based layer number.</summary>
            public int Layer { get; }

            public bool IsCell { get; }

            public int Offset { get; }

            public int Size { get; }

            public RecurrentLayerSpec Spec { get; }

            /// <summary>The public span property on State, e.g. <c>Layer1Hidden</c>.</summary>
            public string Property => $"Layer{Layer}" + (IsCell ? "Cell" : "Hidden");

            /// <summary>The local span name the layer methods use, e.g. <c>h1</c>.</summary>
            public string Local => (IsCell ? "c" : "h") + Layer;
        }

        public static List<Entry> For(ModelSpec model)
        {
            var entries = new List<Entry>();
            int offset = 0;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i] is not RecurrentLayerSpec recurrent) continue;
                entries.Add(new Entry(i + 1, cell: false, offset, recurrent.Units, recurrent));
                offset += recurrent.Units;
                if (recurrent is LstmLayerSpec)
                {
                    entries.Add(new Entry(i + 1, cell: true, offset, recurrent.Units, recurrent));
                    offset += recurrent.Units;
                }
            }
            return entries;
        }

        public static int TotalFloats(ModelSpec model)
        {
            int total = 0;
            foreach (Entry entry in For(model)) total += entry.Size;
            return total;
        }

        /// <summary>Step exists only when every layer is causal: output t depends on inputs 0..t alone.</summary>
        public static string? WhyNoStep(ModelSpec model)
        {
            foreach (LayerSpec layer in model.Layers)
            {
                if (layer is RecurrentLayerSpec { GoBackwards: true }) return $"layer '{layer.Name}' reads its input backwards (go_backwards)";
            }
            return null;
        }
    }
}
