using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// Which stages run in vector registers (see Emitting/RegisterStageEmitter for how): forward, unmasked stages made
    /// only of LSTMs of <see cref="MinUnits"/> to <see cref="MaxUnits"/> units, where the time goes to the chain of
    /// dependent cell updates rather than to the products.
    /// </summary>
    internal static class RegisterStages
    {
        /// <summary>The most units a layer of such a stage may have: one Vector512 per gate.</summary>
        public const int MaxUnits = 16;

        /// <summary>
        /// The fewest: below 4 units the blocked path's cell (shared with Step and PredictBatch) uses the scalar
        /// activations, and results must not depend on which path ran, to the last bit.
        /// </summary>
        public const int MinUnits = 4;

        /// <summary>Units a Vector256 gate holds: a stage with a wider layer needs Vector512 cells.</summary>
        public const int Vector256Units = 8;

        /// <summary>How stage <paramref name="index"/> runs: not in registers, or in registers with cells up to Vector256 or Vector512.</summary>
        public static RegisterCells For(ModelSpec model, ExecutionPlan.Stage stage, int index)
        {
            if (stage.IsBidirectional || stage.ReadsBackwards || stage.Masked) return RegisterCells.None;
            if (index == 0 && model.Embedding is not null) return RegisterCells.None;
            int lstms = 0;
            bool wide = false;
            foreach (int i in stage.Layers)
            {
                switch (model.Layers[i])
                {
                    case IdentityLayerSpec:
                        continue;
                    case LstmLayerSpec lstm when lstm.Units >= MinUnits && lstm.Units <= MaxUnits && Vectorized(lstm.Activation) && Vectorized(lstm.RecurrentActivation):
                        lstms++;
                        wide |= lstm.Units > Vector256Units;
                        continue;
                    default:
                        return RegisterCells.None;
                }
            }
            return lstms == 0 ? RegisterCells.None : wide ? RegisterCells.UpToVector512 : RegisterCells.UpToVector256;
        }

        /// <summary>
        /// The narrowest vector width (in bits) on which a GRU's whole timestep runs in vector registers (Emitting's
        /// GruRegisterCellEmitter), or 0 when it never does: optimized builds, units a multiple of 4 that fill at most
        /// two vectors per gate (the widest that fit, then narrower ones: 128 for 4 and 8 units, 256 for 12 and 16, 512
        /// for 20, 24 and 32), activations with vector forms. Where its cells do not run (no such width accelerated, or
        /// none at all), a GRU in a blocked loop computes its input parts for a block of timesteps at once, as an LSTM does.
        /// </summary>
        public static int GruCellBits(GruLayerSpec gru, bool debugBuild)
        {
            if (debugBuild || gru.Units % 4 != 0 || !Vectorized(gru.Activation) || !Vectorized(gru.RecurrentActivation)) return 0;
            for (int lanes = 4; lanes <= 16; lanes *= 2)
            {
                int vectors = 0;
                for (int width = lanes, left = gru.Units; width >= 4; width /= 2)
                {
                    vectors += left / width;
                    left %= width;
                }
                if (vectors <= 2) return 32 * lanes;
            }
            return 0;
        }

        /// <summary>
        /// Whether a GRU in a blocked loop may compute its input parts for a block of timesteps (see
        /// <see cref="GruCellBits"/>): all but the smallest, whose cells run wherever any vector width is accelerated.
        /// </summary>
        public static bool GruProjects(GruLayerSpec gru, bool debugBuild) => GruCellBits(gru, debugBuild) != 128;

        /// <summary>Activations the runtime computes on whole vectors; the others have only a scalar form.</summary>
        internal static bool Vectorized(Activation activation) => activation is not (Activation.Elu or Activation.Selu or Activation.Softplus or Activation.Softmax);
    }

    /// <summary>Whether a stage runs in registers, and the widest vector its cells need.</summary>
    internal enum RegisterCells
    {
        None,

        /// <summary>Every layer has at most 8 units: Vector256 (or two Vector128) per gate.</summary>
        UpToVector256,

        /// <summary>Some layer has 9 to 16 units: Vector512 per gate where accelerated.</summary>
        UpToVector512,
    }
}
