using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Row counts of the sequences after Conv1D, pooling, padding, cropping and upsampling layers, in generated code:
    /// literals when the input length is fixed, otherwise locals <c>steps{n}</c> (rows leaving layer n) computed
    /// once from <c>timesteps</c>, after a check that the input is long enough for every layer.
    /// </summary>
    internal static class SequenceLengths
    {
        /// <summary>
        /// The rows of the sequence leaving layer index <paramref name="layer"/>: a literal when fixed, the local
        /// <see cref="EmitLocals"/> declares when not, or <paramref name="inputSteps"/> when no layer up to it changes them.
        /// </summary>
        public static string After(ModelSpec model, int layer, string inputSteps)
        {
            if (model.StepsAfter(layer) is int fixedSteps) return IntLiteral.Format(fixedSteps);
            if (model.Graph is not null)
            {
                // Along the layer's first inputs, up to the nearest layer that changes the rows.
                for (int i = layer; i >= 0; i = model.PrimaryInput(i))
                {
                    if (model.Layers[i].ChangesSequence) return $"steps{i + 1}";
                }
                return inputSteps;
            }
            for (int i = layer; i >= 0; i--)
            {
                if (model.Layers[i].ChangesSequence) return $"steps{i + 1}";
            }
            return inputSteps;
        }

        /// <summary>The fewest input timesteps for which every layer of a variable-length input gets at least one row.</summary>
        public static int MinimumTimesteps(ModelSpec model, out int limitingLayer)
        {
            if (model.Graph is not null) return GraphMinimumTimesteps(model, out limitingLayer);
            int rows = 1;
            limitingLayer = -1;
            for (int i = FirstPhaseEnd(model) - 1; i >= 0; i--)
            {
                if (model.Layers[i] is not SequenceLayerSpec sequence) continue;
                int needed = sequence.InputStepsFor(rows);
                // A padding layer before a convolution can lower what the input itself needs.
                if (needed > rows) limitingLayer = i;
                rows = needed;
            }
            return rows;
        }

        /// <summary>
        /// For a variable-length input: checks it has enough timesteps, then declares the row count of every
        /// sequence a layer changes (<c>int steps{n} = ...;</c>). <paramref name="parameter"/> names the input argument.
        /// </summary>
        public static void EmitLocals(IndentedWriter w, ModelSpec model, string parameter)
        {
            if (model.Timesteps is not null || !model.HasSequenceLayers) return;
            int end = FirstPhaseEnd(model);
            int minimum = MinimumTimesteps(model, out int limiting);
            if (minimum > 1)
            {
                string message = $"The model needs at least {Plural.Count(minimum, "timestep")} (layer {limiting + 1}, {CommentText.Line(model.Layers[limiting].Description)}) but got ";
                using (w.Block($"if (timesteps < {IntLiteral.Format(minimum)})"))
                {
                    w.Line($"throw new ArgumentException({SymbolDisplay.FormatLiteral(message, quote: true)} + timesteps + \".\", nameof({parameter}));");
                }
            }
            if (model.Graph is not null)
            {
                for (int i = 0; i < model.Layers.Count; i++)
                {
                    if (!model.Layers[i].ChangesSequence || model.StepsAfter(i) is not null) continue;
                    string rows = model.Layers[i] is SequenceLayerSpec layer
                        ? Expression(layer, After(model, model.PrimaryInput(i), "timesteps"))
                        : $"checked({string.Join(" + ", OperandRows(model, i))})";
                    w.Line($"int steps{i + 1} = {rows}; // rows after layer {i + 1}, {model.Layers[i].ClassName}");
                }
                w.Line();
                return;
            }
            string previous = "timesteps";
            for (int i = 0; i < end; i++)
            {
                if (model.Layers[i] is not SequenceLayerSpec sequence) continue;
                string rows = $"steps{i + 1}";
                w.Line($"int {rows} = {Expression(sequence, previous)}; // rows after layer {i + 1}, {sequence.ClassName}");
                previous = rows;
            }
            w.Line();
        }

        private static System.Collections.Generic.IEnumerable<string> OperandRows(ModelSpec model, int layer)
        {
            foreach (int operand in model.Graph!.Inputs[layer]) yield return After(model, operand, "timesteps");
        }

        /// <summary>
        /// <see cref="MinimumTimesteps"/> of a graph: the fewest input rows for which every layer that changes the rows
        /// gets at least one (row counts grow with the input's, so a binary search finds it).
        /// </summary>
        private static int GraphMinimumTimesteps(ModelSpec model, out int limitingLayer)
        {
            limitingLayer = -1;
            int low = 1, high = 1;
            while (EmptyLayer(model, high) >= 0)
            {
                if (high >= 1 << 24) return high;
                high *= 2;
            }
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (EmptyLayer(model, middle) >= 0) low = middle + 1;
                else high = middle;
            }
            if (low > 1) limitingLayer = EmptyLayer(model, low - 1);
            return low;
        }

        /// <summary>The first layer left with no rows by an input of <paramref name="timesteps"/> rows, or -1.</summary>
        private static int EmptyLayer(ModelSpec model, int timesteps)
        {
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i].IsSequence && model.GraphStepsAfter(i, timesteps) is int rows && rows < 1) return i;
            }
            return -1;
        }

        /// <summary>The layers before the first RepeatVector: the only ones whose row counts follow the input's.</summary>
        private static int FirstPhaseEnd(ModelSpec model)
        {
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i] is RepeatVectorLayerSpec) return i;
            }
            return model.Layers.Count;
        }

        /// <summary>C# for the layer's output rows given <paramref name="rows"/> input rows (long enough, as checked).</summary>
        public static string Expression(SequenceLayerSpec layer, string rows) => layer switch
        {
            WindowLayerSpec { Padding: WindowPadding.Valid } window => window.Stride == 1
                ? $"{rows} - {IntLiteral.Format(window.Extent - 1)}"
                : $"(({rows} - {IntLiteral.Format(window.Extent)}) / {IntLiteral.Format(window.Stride)}) + 1",
            WindowLayerSpec { Padding: WindowPadding.Same } window => window.Stride == 1
                ? rows
                : $"({rows} + {IntLiteral.Format(window.Stride - 1)}) / {IntLiteral.Format(window.Stride)}",
            WindowLayerSpec window => window.Stride == 1
                ? rows
                : $"(({rows} - 1) / {IntLiteral.Format(window.Stride)}) + 1",
            ZeroPadding1DLayerSpec padding => $"checked({rows} + {IntLiteral.Format(padding.Before + padding.After)})",
            Cropping1DLayerSpec cropping => $"{rows} - {IntLiteral.Format(cropping.Before + cropping.After)}",
            UpSampling1DLayerSpec upsampling => $"checked({rows} * {IntLiteral.Format(upsampling.Size)})",
            PermuteLayerSpec permute => IntLiteral.Format(permute.InputSize),
            _ => rows,
        };
    }
}
