using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The argument checks of Predict, Step and PredictBatch, with messages that name what was expected (counts in
    /// the right number: "1 timestep"). The output-length and overlap checks are shared by Predict and Step.
    /// </summary>
    internal static class ArgumentChecksEmitter
    {
        public static void Predict(IndentedWriter w, ModelSpec model, int? fixedOutputSteps)
        {
            string shape = model.Embedding is null ? Plural.Count(model.Features, "feature") : "one token id each";
            if (model.Timesteps is int fixedSteps)
            {
                int inputLength = fixedSteps * model.Features;
                string what = Plural.Noun(inputLength, model.Embedding is null ? "input float" : "token id");
                using (w.Block("if (input.Length != InputLength)"))
                {
                    w.Line($"throw new ArgumentException($\"Expected {{InputLength}} {what} ([{Plural.Count(fixedSteps, "timestep")}, {shape}]) but got {{input.Length}}.\", nameof(input));");
                }
            }
            else if (model.Embedding is not null)
            {
                using (w.Block("if (input.Length == 0)"))
                {
                    w.Line($"throw new ArgumentException(\"Expected at least one token id ([timesteps, {shape}]) but got none.\", nameof(input));");
                }
                w.Line("int timesteps = input.Length;");
            }
            else
            {
                using (w.Block("if (input.Length == 0 || input.Length % InputFeatures != 0)"))
                {
                    w.Line($"throw new ArgumentException($\"Expected a number of input floats that is a non-zero multiple of {{InputFeatures}} ([timesteps, {shape}]) but got {{input.Length}}.\", nameof(input));");
                }
                w.Line("int timesteps = input.Length / InputFeatures;");
            }
            InputEmitter.EmitTokenCheck(w, model);
            SequenceLengths.EmitLocals(w, model, "input");
            string outputLength = !model.OutputIsSequence ? "OutputUnits"
                : fixedOutputSteps is int rows ? "OutputLength"
                : model.Timesteps is null ? $"(long){OutputRows(model)} * OutputUnits" : "Timesteps * OutputUnits";
            Output(w, model, fixedOutputSteps, outputLength);
        }

        /// <summary>Step's checks: one timestep in, <c>OutputUnits</c> floats out.</summary>
        public static void Step(IndentedWriter w, ModelSpec model)
        {
            using (w.Block("if (input.Length != InputFeatures)"))
            {
                string what = model.Embedding is null ? Plural.Noun(model.Features, "input float") + " (one timestep)" : "token id (one timestep)";
                w.Line($"throw new ArgumentException($\"Expected {{InputFeatures}} {what} but got {{input.Length}}.\", nameof(input));");
            }
            InputEmitter.EmitTokenCheck(w, model);
            Output(w, model, fixedOutputSteps: null, "OutputUnits");
        }

        /// <summary>PredictBatch's checks; declares <c>timesteps</c>, <c>sequenceLength</c> and <c>outputLength</c> (floats per sequence).</summary>
        public static void Batch(IndentedWriter w, ModelSpec model)
        {
            using (w.Block("if (batchSize <= 0)"))
            {
                w.Line("throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch needs at least one sequence.\");");
            }
            string features = model.Embedding is null ? Plural.Count(model.Features, "feature") : "one token id each";
            string shape = model.Timesteps is int t ? $"{Plural.Count(t, "timestep")}, {features}" : $"timesteps, {features}";
            string what = model.Embedding is null ? "input floats" : "token ids";
            // A batch of one is common: lengths and "batch n", not "1 sequences".
            if (model.Timesteps is not null)
            {
                using (w.Block("if (inputs.Length != (long)batchSize * InputLength)"))
                {
                    w.Line($"throw new ArgumentException($\"Expected {what} of length {{(long)batchSize * InputLength}} ([batch {{batchSize}}, {shape}]) but got {{inputs.Length}}.\", nameof(inputs));");
                }
                w.Line("const int timesteps = Timesteps;");
            }
            else
            {
                using (w.Block("if (inputs.Length == 0 || inputs.Length % ((long)batchSize * InputFeatures) != 0)"))
                {
                    w.Line($"throw new ArgumentException($\"Expected {what} whose length is a non-zero multiple of {{(long)batchSize * InputFeatures}} ([batch {{batchSize}}, {shape}]) but got {{inputs.Length}}.\", nameof(inputs));");
                }
                w.Line("int timesteps = (int)(inputs.Length / ((long)batchSize * InputFeatures));");
            }
            w.Line("int sequenceLength = timesteps * InputFeatures;");
            SequenceLengths.EmitLocals(w, model, "inputs");
            if (model.OutputIsSequence && model.HasRepeatVector)
            {
                w.Line("const long outputFloats = OutputLength; // the rows of the last RepeatVector, whatever the input length");
            }
            else if (model.OutputIsSequence && model.OutputTimesteps is not null && model.HasSequenceLayers)
            {
                w.Line("const long outputFloats = OutputLength;");
            }
            else if (model.OutputIsSequence)
            {
                w.Line($"long outputFloats = (long){OutputRows(model)} * OutputUnits;");
            }
            else
            {
                w.Line("const long outputFloats = OutputUnits;");
            }
            using (w.Block("if (outputs.Length < batchSize * outputFloats)"))
            {
                w.Line("throw new ArgumentException($\"The outputs need length {batchSize * outputFloats} (batch {batchSize} × {outputFloats}) but have {outputs.Length}.\", nameof(outputs));");
            }
            if (model.Embedding is null) // token ids are ints: a float output cannot be the same span
            {
                using (w.Block("if (inputs.Overlaps(outputs))"))
                {
                    w.Line("throw new ArgumentException(\"The inputs and outputs spans overlap; pass separate buffers.\", nameof(outputs));");
                }
            }
            InputEmitter.EmitBatchTokenCheck(w, model);
            w.Line("int outputLength = (int)outputFloats;");
            w.Line();
        }

        /// <summary>The output's rows for a sequence output, in generated code (timesteps unless a layer changes them).</summary>
        private static string OutputRows(ModelSpec model) => model.HasSequenceLayers ? SequenceLengths.After(model, model.Layers.Count - 1, "timesteps") : "timesteps";

        /// <summary>The checks Predict and Step share: the output is long enough, and input and output are separate.</summary>
        private static void Output(IndentedWriter w, ModelSpec model, int? fixedOutputSteps, string outputLength)
        {
            using (w.Block($"if (output.Length < {outputLength})"))
            {
                // The count is known here unless it depends on the input length; then the plural is chosen at run time.
                string floats = KnownOutputLength(model, fixedOutputSteps, outputLength) is int known ? Plural.Noun(known, "float") : $"float{{({outputLength} == 1 ? \"\" : \"s\")}}";
                w.Line($"throw new ArgumentException($\"The output needs {{{outputLength}}} {floats} but has {{output.Length}}.\", nameof(output));");
            }
            if (model.Embedding is null) // token ids are ints: a float output cannot be the same span
            {
                using (w.Block("if (input.Overlaps(output))"))
                {
                    w.Line("throw new ArgumentException(\"The input and output spans overlap; pass separate buffers.\", nameof(output));");
                }
            }
            w.Line();
        }

        /// <summary>The value of a constant output length (OutputUnits, OutputLength or Timesteps * OutputUnits), else null.</summary>
        private static int? KnownOutputLength(ModelSpec model, int? fixedOutputSteps, string expression) => expression switch
        {
            "OutputUnits" => model.OutputUnits,
            "OutputLength" => fixedOutputSteps is int rows ? rows * model.OutputUnits : null,
            "Timesteps * OutputUnits" => model.Timesteps is int t ? t * model.OutputUnits : null,
            _ => null,
        };
    }
}
