using System.Globalization;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>The XML documentation of the generated members: what the model is, shapes, and the Predict contract.</summary>
    internal static class ModelDocumentation
    {
        public static void EmitRemarks(IndentedWriter w, ModelSpec model)
        {
            string steps = model.Timesteps is int t ? t.ToString(CultureInfo.InvariantCulture) : "any number of";
            w.Line("/// <remarks>");
            w.Line($"/// Compiled by LstmGen from <c>{Escape(model.FileName)}</c> ({Escape(model.Dialect)}):");
            w.Line($"/// {model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters; input {steps} timesteps × {model.Features} feature{(model.Features == 1 ? "" : "s")}.");
            w.Line("/// <list type=\"number\">");
            foreach (LayerSpec layer in model.Layers)
            {
                w.Line($"/// <item><description>{Escape(LayerEmitter.Describe(layer))}.</description></item>");
            }
            w.Line("/// </list>");
            w.Line("/// </remarks>");
        }

        public static void EmitPredictDocs(IndentedWriter w, ModelSpec model)
        {
            string input = model.Timesteps is int t
                ? $"<see cref=\"InputLength\"/> = {t} × {model.Features} floats"
                : $"any whole number of timesteps × {model.Features} floats";
            string output = model.OutputIsSequence
                ? model.OutputTimesteps is int rows && model.HasRepeatVector
                    ? $"{rows} rows (RepeatVector) of <see cref=\"OutputUnits\"/> floats, whatever the input length"
                    : "one row of <see cref=\"OutputUnits\"/> floats per timestep"
                : "<see cref=\"OutputUnits\"/> floats";
            w.Line("/// <summary>Runs the model on one sequence, as Keras <c>model.predict</c> does for a batch of one.</summary>");
            w.Line($"/// <param name=\"input\">Row-major <c>[timesteps, features]</c>: {input}.</param>");
            w.Line($"/// <param name=\"output\">Receives the last layer's output: {output}. Longer spans are fine; the rest is untouched.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The input length is wrong, the output is too short, or the two overlap.</exception>");
            w.Line("/// <remarks>Allocation-free, thread-safe and reentrant: all state lives on the stack.</remarks>");
        }

        private static string Escape(string text) => CommentText.Xml(text);
    }
}
