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
            for (int i = layer; i >= 0; i--)
            {
                if (model.Layers[i].ChangesSequence) return $"steps{i + 1}";
            }
            return inputSteps;
        }

        /// <summary>The fewest input timesteps for which every layer of a variable-length input gets at least one row.</summary>
        public static int MinimumTimesteps(ModelSpec model, out int limitingLayer)
        {
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
            _ => rows,
        };
    }
}
