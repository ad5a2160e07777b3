using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>PredictBatch's argument checks, with messages that name what was expected.</summary>
    internal static class PredictBatchChecks
    {
        /// <summary>Checks the arguments and declares <c>timesteps</c>, <c>sequenceLength</c> and <c>outputLength</c> (floats per sequence).</summary>
        public static void Emit(IndentedWriter w, ModelSpec model)
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
            if (model.OutputIsSequence && model.HasRepeatVector)
            {
                w.Line("const long outputFloats = OutputLength; // the rows of the last RepeatVector, whatever the input length");
            }
            else if (model.OutputIsSequence)
            {
                w.Line("long outputFloats = (long)timesteps * OutputUnits;");
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
    }
}
