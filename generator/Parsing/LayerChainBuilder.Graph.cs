using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// The graph half of the builder: the shape along each edge of a Functional graph, and its merge layers, which
    /// read several edges.
    /// </summary>
    internal sealed partial class LayerChainBuilder
    {
        /// <summary>What flows along one edge of a graph: the running shape the chain builder tracks.</summary>
        private readonly struct Flow
        {
            public Flow(bool isSequence, int width, int? steps, string rows)
            {
                IsSequence = isSequence;
                Width = width;
                Steps = steps;
                Rows = rows;
            }

            public bool IsSequence { get; }

            public int Width { get; }

            public int? Steps { get; }

            /// <summary>Which row count a sequence has: "#n" when fixed, else the input's or the layer that last changed it.</summary>
            public string Rows { get; }
        }

        // A graph's edges and the flow leaving each layer (by name; the model input is spec index -1).
        private readonly Dictionary<string, int> _graphIndex = new Dictionary<string, int>();
        private readonly List<Flow> _graphFlows = new List<Flow>();
        private readonly List<EquatableArray<int>> _graphInputs = new List<EquatableArray<int>>();
        private Flow _inputFlow;
        private string _rows = "input";

        /// <summary>The graph's edges once every layer is added with <see cref="AddToGraph"/>, else null (a chain).</summary>
        public GraphSpec? Graph => _graphIndex.Count == 0 ? null : new GraphSpec(new EquatableArray<EquatableArray<int>>(_graphInputs.ToArray()));

        /// <summary>
        /// Adds a layer of a Functional graph that reads the layers named <paramref name="inbound"/> (added before it):
        /// the running shape is set to its input's, and merge layers read all of theirs.
        /// </summary>
        public void AddToGraph(LayerEntry entry, List<string> inbound)
        {
            _inGraph = true;
            if (entry.ClassName == "InputLayer")
            {
                _graphIndex[entry.Name] = -1;
                _inputFlow = new Flow(true, _width, _steps, _steps is int n ? "#" + n : "input");
                return;
            }
            var operands = new int[System.Math.Max(1, inbound.Count)];
            for (int k = 0; k < inbound.Count; k++) operands[k] = _graphIndex[inbound[k]];
            if (inbound.Count == 0)
            {
                // A first layer that declares the input shape itself, without an InputLayer (ordered first, so the
                // running shape is still the input's): it reads the model input.
                operands[0] = -1;
                _inputFlow = new Flow(true, _width, _steps, _steps is int n ? "#" + n : "input");
            }
            if (operands.Length > 1 && !FunctionalOrder.MergeLayers.Contains(entry.ClassName))
            {
                // A layer LstmGen does not know (Attention takes [query, value]) is reported as such; a known one reads one input.
                if (!s_singleInputLayers.Contains(entry.ClassName) && !s_identityLayers.Contains(entry.ClassName))
                {
                    throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName, UnsupportedHint(entry.ClassName));
                }
                throw _context.Invalid("layer '" + entry.Name + "' (" + entry.ClassName + ") reads several inputs (" + string.Join(", ", inbound) + "); only merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate) may", entry.Json);
            }
            if (entry.ClassName is "Masking" || (entry.ClassName is "Embedding" && (operands.Length != 1 || operands[0] != -1)))
            {
                throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                    entry.ClassName == "Masking" ? " in a Functional graph with branches (masks are compiled in chains only)" : " other than directly on the model input");
            }
            if (FunctionalOrder.MergeLayers.Contains(entry.ClassName))
            {
                ReadMerge(entry, operands);
            }
            else
            {
                Flow from = FlowOf(operands[0]);
                _isSequence = from.IsSequence;
                _width = from.Width;
                _steps = from.Steps;
                _rows = from.Rows;
                Add(entry);
                if (_masked)
                {
                    throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, entry.Json["class_name"], entry.Label, "mask_zero", "true",
                        "masks are compiled in chains only, not in a Functional graph with branches");
                }
            }
            // One spec per layer, but SeparableConv1D adds two (depthwise, pointwise): the first reads the layer's
            // inputs, each further one the spec before it, and the layer's name stands for the last.
            int first = _graphInputs.Count;
            for (int i = first; i < _layers.Count; i++)
            {
                LayerSpec spec = _layers[i];
                if ((spec.ChangesSequence && !KeepsRows(spec)) || spec is RepeatVectorLayerSpec) _rows = _steps is int rows ? "#" + rows : "layer " + (i + 1);
                _graphFlows.Add(new Flow(spec.IsSequence, spec.OutputSize, _steps, _rows));
                _graphInputs.Add(i == first ? new EquatableArray<int>(operands) : new EquatableArray<int>(new[] { i - 1 }));
            }
            _graphIndex[entry.Name] = _layers.Count - 1;
        }

        /// <summary>A layer that changes the sequence but keeps its row count for every length (a causal or same convolution of stride 1).</summary>
        private static bool KeepsRows(LayerSpec spec)
        {
            if (spec is not SequenceLayerSpec sequence) return false;
            foreach (int rows in new[] { 1, 2, 3, 5, 8, 13, 1000, 65536 })
            {
                if (sequence.OutputSteps(rows) != rows) return false;
            }
            return true;
        }

        private Flow FlowOf(int index) => index < 0 ? _inputFlow : _graphFlows[index];

        /// <summary>A merge layer: its operands all sequences with the same rows, or all vectors; one width unless concatenated on the last axis.</summary>
        private void ReadMerge(LayerEntry entry, int[] operands)
        {
            var config = new LayerConfig(entry.Name, entry.Label, entry.ClassName, entry.Config, _keras3, _context);
            var kind = (MergeKind)System.Enum.Parse(typeof(MergeKind), entry.ClassName);
            if (operands.Length < 2 || (kind == MergeKind.Subtract && operands.Length != 2))
            {
                throw _context.Invalid(entry.Described + " reads " + Plural.Count(operands.Length, "input") + (kind == MergeKind.Subtract ? "; Subtract takes exactly 2" : "; a merge layer takes at least 2"), entry.Json);
            }
            Flow first = FlowOf(operands[0]);
            bool timeAxis = false;
            if (kind == MergeKind.Concatenate)
            {
                JsonNode? axisNode = config.ReadNode("axis");
                int axis = axisNode is JsonNumber number && number.Value == System.Math.Floor(number.Value) ? (int)number.Value : axisNode is null ? -1 : int.MinValue;
                int rank = first.IsSequence ? 3 : 2;
                if (axis < 0) axis += rank;
                if (axis == rank - 1) timeAxis = false;
                else if (first.IsSequence && axis == 1) timeAxis = true;
                else throw _context.FailAt(DiagnosticDescriptors.UnsupportedOption, axisNode ?? entry.Json, entry.Label, "axis", axisNode?.Describe() ?? "-1",
                    first.IsSequence ? "a sequence is concatenated on its features (-1) or its timesteps (1)" : "a vector is concatenated on its features (-1)");
            }
            var widths = new int[operands.Length];
            for (int k = 0; k < operands.Length; k++)
            {
                Flow flow = FlowOf(operands[k]);
                widths[k] = flow.Width;
                string name = operands[k] < 0 ? "the model input" : "'" + _layers[operands[k]].Name + "'";
                if (flow.IsSequence != first.IsSequence)
                {
                    throw _context.FailAt(DiagnosticDescriptors.UnsupportedLayer, entry.Json["class_name"], entry.Label, entry.ClassName,
                        " on a sequence and a vector (" + name + " is " + (flow.IsSequence ? "a sequence" : "a vector") + "); broadcasting is not compiled: give every input return_sequences alike, or RepeatVector the vector");
                }
                if ((kind != MergeKind.Concatenate || timeAxis) && flow.Width != first.Width)
                {
                    throw _context.Invalid(entry.Described + " merges inputs of different widths (" + first.Width + " and " + flow.Width + " from " + name + "); " + entry.ClassName + " needs equal widths", entry.Json);
                }
                if (first.IsSequence && !timeAxis && flow.Rows != first.Rows)
                {
                    throw _context.Invalid(entry.Described + " merges sequences whose timesteps " + (flow.Steps is int a && first.Steps is int b ? "differ (" + b + " and " + a + " from " + name + ")" : "may differ (" + name + " comes through a layer that changes the timesteps and the first input does not, or another one)") + "; the inputs of a merge need the same timesteps", entry.Json);
                }
            }
            config.ReportUnknownKeys(_context.Diagnostics);
            var spec = new MergeLayerSpec(entry.Name, kind, new EquatableArray<int>(widths), first.IsSequence, timeAxis);
            _layers.Add(spec);
            _isSequence = spec.IsSequence;
            _width = spec.OutputSize;
            _masked = false;
            if (timeAxis)
            {
                int? total = 0;
                foreach (int operand in operands) total = FlowOf(operand).Steps is int rows && total is int sum ? sum + rows : null;
                _steps = total;
            }
            else
            {
                _steps = first.Steps;
                _rows = first.Rows;
            }
        }
    }
}
