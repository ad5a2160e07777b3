using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// Where each layer's state lives in the generated <c>State</c> struct: h (every recurrent layer), then c (LSTM),
    /// or the last input rows a causal Conv1D reads (its history), layer after layer, in one inline float array.
    /// </summary>
    internal static class StateLayout
    {
        internal readonly struct Entry
        {
            public Entry(string label, string owner, bool cell, int offset, int size, bool history = false)
            {
                Label = label;
                Owner = owner;
                IsCell = cell;
                Offset = offset;
                Size = size;
                IsHistory = history;
            }

            /// <summary>The layer's number, with "Forward" / "Backward" for a direction of a Bidirectional layer.</summary>
            public string Label { get; }

            /// <summary>For documentation: "Layer 2, LSTM 'lstm'" or "Layer 2, Bidirectional 'bi', forward LSTM 'f'".</summary>
            public string Owner { get; }

            public bool IsCell { get; }

            public int Offset { get; }

            public int Size { get; }

            /// <summary>A causal Conv1D's last input rows, oldest first.</summary>
            public bool IsHistory { get; }

            /// <summary>The public span property on State, e.g. <c>Layer1Hidden</c>.</summary>
            public string Property => $"Layer{Label}" + (IsHistory ? "History" : IsCell ? "Cell" : "Hidden");

            /// <summary>The local span name the layer methods use, e.g. <c>h1</c>.</summary>
            public string Local => (IsHistory ? "history" : IsCell ? "c" : "h") + Label;
        }

        public static List<Entry> For(ModelSpec model)
        {
            var entries = new List<Entry>();
            int offset = 0;
            void Add(string label, string owner, RecurrentLayerSpec recurrent)
            {
                entries.Add(new Entry(label, owner, cell: false, offset, recurrent.Units));
                offset += recurrent.Units;
                if (recurrent is LstmLayerSpec)
                {
                    entries.Add(new Entry(label, owner, cell: true, offset, recurrent.Units));
                    offset += recurrent.Units;
                }
            }
            for (int i = 0; i < model.Layers.Count; i++)
            {
                int n = i + 1;
                switch (model.Layers[i])
                {
                    case RecurrentLayerSpec recurrent:
                        Add(IntLiteral.Format(n), $"Layer {n}, {recurrent.ClassName} '{recurrent.Name}'", recurrent);
                        break;
                    case BidirectionalLayerSpec bidirectional:
                        string owner = $"Layer {n}, Bidirectional '{bidirectional.Name}'";
                        Add(DirectionLabel(n, forward: true), $"{owner}, forward {bidirectional.Forward.ClassName}", bidirectional.Forward);
                        Add(DirectionLabel(n, forward: false), $"{owner}, backward {bidirectional.Backward.ClassName}", bidirectional.Backward);
                        break;
                    case Conv1DLayerSpec { HistoryFloats: > 0 } conv:
                        int floats = conv.HistoryFloats;
                        entries.Add(new Entry(IntLiteral.Format(n), $"Layer {n}, {conv.ClassName} '{conv.Name}'", cell: false, offset, floats, history: true));
                        offset += floats;
                        break;
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

        /// <summary>How a Bidirectional layer's two directions are named in state fields and methods ("2Forward").</summary>
        public static string DirectionLabel(int number, bool forward)
            => IntLiteral.Format(number) + (forward ? "Forward" : "Backward");

        /// <summary>Step exists only when every layer is causal: output t depends on inputs 0..t alone.</summary>
        public static string? WhyNoStep(ModelSpec model)
        {
            foreach (LayerSpec layer in model.Layers)
            {
                if (layer.WhyNotCausal is string why) return why;
            }
            return null;
        }
    }
}
