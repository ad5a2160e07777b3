using System.Globalization;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>The XML documentation of the generated members: what the model is, shapes, and the Predict contract.</summary>
    internal static class ModelDocumentation
    {
        public static void EmitRemarks(IndentedWriter w, ModelSpec model)
        {
            string steps = model.Timesteps is int t ? Plural.Count(t, "timestep") : "any number of timesteps";
            w.Line("/// <remarks>");
            w.Line($"/// Compiled by LstmGen from <c>{Escape(model.FileName)}</c> ({Escape(model.Dialect)}):");
            string each = model.Embedding is null ? Plural.Count(model.Features, "feature") : "one token id";
            w.Line($"/// {model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters; input {steps} × {each}.");
            w.Line("/// <list type=\"number\">");
            for (int i = 0; i < model.Layers.Count; i++)
            {
                w.Line($"/// <item><description>{Escape(model.Layers[i].Description)}{Reads(model, i)}.</description></item>");
            }
            w.Line("/// </list>");
            w.Line("/// </remarks>");
        }

        /// <summary>In a graph, which layers a layer reads (numbered as in the list), unless it is just the one before.</summary>
        private static string Reads(ModelSpec model, int layer)
        {
            if (model.Graph is null) return string.Empty;
            EquatableArray<int> inputs = model.Graph.Inputs[layer];
            if (inputs.Count == 1 && inputs[0] == layer - 1) return string.Empty;
            var names = new System.Collections.Generic.List<string>();
            foreach (int input in inputs) names.Add(input < 0 ? "the input" : "layer " + IntLiteral.Format(input + 1));
            return "; reads " + string.Join(" and ", names);
        }

        public static void EmitPredictDocs(IndentedWriter w, ModelSpec model)
        {
            string input = model.Embedding is not null
                ? (model.Timesteps is int n ? $"<see cref=\"InputLength\"/> = {Plural.Count(n, "token id")}" : "one token id per timestep, any number of timesteps")
                : model.Timesteps is int t
                    ? $"<see cref=\"InputLength\"/> = {t} × {model.Features} {Plural.Noun((long)t * model.Features, "float")}"
                    : $"any whole number of timesteps × {model.Features} floats";
            string output = model.OutputIsSequence
                ? model.OutputTimesteps is int rows && model.HasRepeatVector
                    ? $"{rows} rows (RepeatVector) of <see cref=\"OutputUnits\"/> floats, whatever the input length"
                    : "one row of <see cref=\"OutputUnits\"/> floats per timestep"
                : "<see cref=\"OutputUnits\"/> floats";
            w.Line("/// <summary>Runs the model on one sequence, as Keras <c>model.predict</c> does for a batch of one.</summary>");
            w.Line(model.Embedding is null
                ? $"/// <param name=\"input\">Row-major <c>[timesteps, features]</c>: {input}.</param>"
                : $"/// <param name=\"input\">Token ids <c>[timesteps]</c>, each from 0 to <see cref=\"VocabularySize\"/> - 1: {input}.</param>");
            w.Line($"/// <param name=\"output\">Receives the last layer's output: {output}. Longer spans are fine; the rest is untouched.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The input length is wrong, the output is too short, or the two overlap.</exception>");
            if (model.Embedding is not null)
            {
                w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">A token id is negative or not below <see cref=\"VocabularySize\"/> (checked before any output is written).</exception>");
            }
            w.Line("/// <remarks>Allocation-free, thread-safe and reentrant: all state lives on the stack.</remarks>");
        }

        public static void EmitPredictBatchDocs(IndentedWriter w, ModelSpec model)
        {
            string unit = model.Embedding is null ? "floats" : "token ids";
            string input = model.Timesteps is not null
                ? $"<paramref name=\"batchSize\"/> × <see cref=\"InputLength\"/> {unit}"
                : $"<paramref name=\"batchSize\"/> sequences of the same number of timesteps × {model.Features} {unit}";
            string output = model.OutputIsSequence
                ? "for each sequence, one row of <see cref=\"OutputUnits\"/> floats per timestep"
                : "<see cref=\"OutputUnits\"/> floats per sequence";
            string how = $"Up to {PredictBatchEmitter.BatchRows} sequences run together, every product a matrix-matrix product over them; each row equals <c>Predict</c> on that sequence.";
            w.Line("/// <summary>Runs the model on a batch of sequences, as Keras <c>model.predict</c> does, each from the zero state.</summary>");
            w.Line($"/// <param name=\"inputs\">Row-major <c>[batch, timesteps, features]</c>: {input}.</param>");
            w.Line("/// <param name=\"batchSize\">The number of sequences, at least 1.</param>");
            w.Line($"/// <param name=\"outputs\">Receives row-major <c>[batch, ...]</c>: {output}. Longer spans are fine; the rest is untouched.</param>");
            w.Line(model.Embedding is null
                ? "/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"batchSize\"/> is not positive.</exception>"
                : "/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"batchSize\"/> is not positive, or a token id is outside the vocabulary.</exception>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The input length is wrong, the outputs are too short, or the two overlap.</exception>");
            w.Line($"/// <remarks>{how} Allocation-free after warm-up (large blocks use ArrayPool), thread-safe and reentrant.</remarks>");
        }

        public static void EmitTeamPredictDocs(IndentedWriter w)
        {
            w.Line("/// <summary>");
            w.Line("/// <c>Predict</c> with the threads of <paramref name=\"team\"/> sharing each timestep of the large LSTM and GRU layers: each");
            w.Line("/// thread computes whole column panels of the recurrent products (of a large LSTM, whole blocks of units with their");
            w.Line("/// cells), so each core streams its own part of the matrices.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"input\">As for <c>Predict(input, output)</c>.</param>");
            w.Line("/// <param name=\"output\">As for <c>Predict(input, output)</c>.</param>");
            w.Line("/// <param name=\"team\">The threads to use; one team serves one call at a time (a call made while it is busy runs alone).</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"team\"/> is null.</exception>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">As for <c>Predict(input, output)</c>.</exception>");
            w.Line("/// <remarks>The same numbers as <c>Predict(input, output)</c>, bit for bit. Allocation-free.</remarks>");
        }

        public static void EmitParallelBatchDocs(IndentedWriter w)
        {
            w.Line("/// <summary>");
            w.Line("/// The span <c>PredictBatch</c> on several cores: the batch is cut into");
            w.Line("/// parts of whole 64-sequence blocks, the calling thread runs one and thread-pool threads the others.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"inputs\">As for the span overload; read by other threads until the call returns.</param>");
            w.Line("/// <param name=\"batchSize\">The number of sequences, at least 1. Fewer than 65 run on the calling thread alone.</param>");
            w.Line("/// <param name=\"outputs\">As for the span overload; written by other threads until the call returns.</param>");
            w.Line("/// <param name=\"maxDegreeOfParallelism\">Threads to use at most (capped at the processor count); 0 or less: one per processor.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">As for the span overload.</exception>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">As for the span overload.</exception>");
            w.Line("/// <remarks>Each row equals the single-threaded call's bit for bit. Allocation-free after warm-up; thread-safe and reentrant.</remarks>");
        }

        private static string Escape(string text) => CommentText.Xml(text);
    }
}
