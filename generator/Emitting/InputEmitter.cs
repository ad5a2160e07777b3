using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// What the generated code needs to know about the input timesteps themselves: which ones are masked (Masking,
    /// Embedding mask_zero) and whether token ids are in the vocabulary.
    /// </summary>
    internal static class InputEmitter
    {
        /// <summary>With an Embedding first: every token id is checked before any work, so a bad id leaves the output untouched.</summary>
        public static void EmitTokenCheck(IndentedWriter w, ModelSpec model)
        {
            if (model.Embedding is null) return;
            using (w.Block("for (int t = 0; t < input.Length; t++)"))
            {
                using (w.Block("if ((uint)input[t] >= (uint)VocabularySize)"))
                {
                    w.Line("throw new ArgumentOutOfRangeException(nameof(input), input[t], $\"Token id {input[t]} at timestep {t} is outside the vocabulary of {VocabularySize} ids (0 to {VocabularySize - 1}).\");");
                }
            }
        }

        /// <summary>PredictBatch's form of <see cref="EmitTokenCheck"/>: every id of every sequence, before any work.</summary>
        public static void EmitBatchTokenCheck(IndentedWriter w, ModelSpec model)
        {
            if (model.Embedding is null) return;
            using (w.Block("for (int i = 0; i < inputs.Length; i++)"))
            {
                using (w.Block("if ((uint)inputs[i] >= (uint)VocabularySize)"))
                {
                    w.Line("throw new ArgumentOutOfRangeException(nameof(inputs), inputs[i], $\"Token id {inputs[i]} of sequence {i / sequenceLength} at timestep {i % sequenceLength} is outside the vocabulary of {VocabularySize} ids (0 to {VocabularySize - 1}).\");");
                }
            }
        }

        /// <summary>
        /// Emits <c>Masked(input, t)</c>, whether input timestep t is masked (models with Masking or Embedding
        /// mask_zero). Recurrent layers skip a masked timestep: h and c stay as they are.
        /// </summary>
        public static void EmitMaskMethod(IndentedWriter w, ModelSpec model)
        {
            if (model.Masking is MaskingLayerSpec masking)
            {
                w.Line($"/// <summary>Keras Masking: timestep t is masked when every one of its features equals the mask value {CommentText.Xml(FloatLiteral.Format(masking.MaskValue))}.</summary>");
                using (w.Block("private static bool Masked(ReadOnlySpan<float> input, int t)"))
                {
                    using (w.Block("foreach (float value in input.Slice(t * InputFeatures, InputFeatures))"))
                    {
                        w.Line($"if (value != {FloatLiteral.Format(masking.MaskValue)}) return false;");
                    }
                    w.Line("return true;");
                }
            }
            else if (model.Embedding is { MaskZero: true })
            {
                w.Line("/// <summary>Keras Embedding mask_zero: timestep t is masked when its token id is 0.</summary>");
                w.Line("private static bool Masked(ReadOnlySpan<int> input, int t) => input[t] == 0;");
            }
        }
    }
}
