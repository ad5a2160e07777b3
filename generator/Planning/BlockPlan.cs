using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning
{
    /// <summary>
    /// How Predict's timestep loops are blocked and what scratch they need: each LSTM, and each GRU of a chain but the
    /// smallest (<see cref="RegisterStages.GruProjects"/>), computes the input part of its gates for a block of
    /// timesteps at once (reading its input kernel once per block), then steps through it.
    /// </summary>
    /// <param name="BlockSteps">Timesteps per block (not used when the loops are unrolled).</param>
    /// <param name="KeepsBlock">Per layer: its output rows of the block are kept (another layer of the stage, a buffer or the output reads them).</param>
    /// <param name="ScratchFloats">The widest per-step scratch of any recurrent layer (the <c>z</c> buffer).</param>
    /// <param name="ProjectionFloats">The widest row of input parts (a row of the block buffer <c>zs</c>: an LSTM's 4u gates, a GRU's 3u), 0 without such layers.</param>
    internal sealed record BlockPlan(int BlockSteps, EquatableArray<bool> KeepsBlock, int ScratchFloats, int ProjectionFloats)
    {
        /// <summary>Most timesteps per block: enough to read each input kernel once per 16 timesteps.</summary>
        public const int MaxBlockSteps = 16;

        /// <summary>Floats the block buffers may take (32 KB), which bounds the block length for wide layers.</summary>
        public const int BlockBudgetFloats = 8192;

        /// <summary>
        /// The row count when one block holds every row of a sequence (a fixed length no longer than the block): its
        /// loop is then written without the block loop; null otherwise.
        /// </summary>
        public int? OneBlock(int? rows) => rows is int n && n <= BlockSteps ? n : null;

        public static BlockPlan For(ModelSpec model, ExecutionPlan plan, bool debugBuild)
        {
            bool[] keeps = KeptBlocks(model, plan);
            (int scratch, int gates) = Widest(model, gruProjects: g => RegisterStages.GruProjects(g, debugBuild));
            return new BlockPlan(ChooseBlockSteps(model, plan, keeps, gates), new EquatableArray<bool>(keeps), scratch, gates);
        }

        /// <summary>
        /// A graph's blocks: each LSTM projects a block of its source rows at once, as in a chain (a GRU steps row by
        /// row); no layer keeps block rows (each writes its whole output sequence).
        /// </summary>
        public static BlockPlan ForGraph(ModelSpec model)
        {
            (int scratch, int gates) = Widest(model, gruProjects: _ => false);
            int steps = System.Math.Max(1, System.Math.Min(MaxBlockSteps, BlockBudgetFloats / System.Math.Max(1, gates)));
            if (model.LongestFixedSequence is int longest) steps = System.Math.Max(1, System.Math.Min(steps, longest));
            return new BlockPlan(steps, new EquatableArray<bool>(new bool[model.Layers.Count]), scratch, gates);
        }

        private static bool[] KeptBlocks(ModelSpec model, ExecutionPlan plan)
        {
            var keeps = new bool[model.Layers.Count];
            for (int s = 0; s < plan.Stages.Count; s++)
            {
                ExecutionPlan.Stage stage = plan.Stages[s];
                ExecutionPlan.Phase phase = plan.Phases[stage.Phase];
                bool stageOutputRead = s < phase.FirstStage + phase.StageCount - 1 || phase.Reducer is null;
                for (int k = 0; k < stage.Layers.Count; k++)
                {
                    int i = stage.Layers[k];
                    bool last = k == stage.Layers.Count - 1;
                    keeps[i] = !model.Layers[i].PassesDataThrough && !stage.Reshapes && model.Layers[i] is not BidirectionalLayerSpec && !model.Layers[i].ReducesTimeAxis && (!last || stageOutputRead);
                }
            }
            return keeps;
        }

        private static int ChooseBlockSteps(ModelSpec model, ExecutionPlan plan, bool[] keepsBlock, int projection)
        {
            int perStep = projection;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (keepsBlock[i]) perStep += model.Layers[i].OutputSize;
            }
            int steps = System.Math.Max(1, System.Math.Min(MaxBlockSteps, BlockBudgetFloats / System.Math.Max(1, perStep)));
            // No longer than the longest sequence when every length is fixed (the input's and each later one).
            int? longest = model.LongestFixedSequence;
            return longest is int t ? System.Math.Min(steps, t) : steps;
        }

        /// <summary>
        /// The widest per-step scratch of any recurrent layer (the <c>z</c> buffer) and the widest row of input parts
        /// (a row of the block buffer <c>zs</c>): LSTMs' over plain layers and the directions of Bidirectional ones,
        /// GRUs' (plain or directions) where <paramref name="gruProjects"/> says they project.
        /// </summary>
        private static (int Scratch, int Projection) Widest(ModelSpec model, System.Func<GruLayerSpec, bool> gruProjects)
        {
            int scratch = 0, gates = 0;
            foreach (LayerSpec layer in model.Layers)
            {
                switch (layer)
                {
                    case RecurrentLayerSpec recurrent:
                        scratch = System.Math.Max(scratch, recurrent.ScratchSize);
                        if (recurrent is LstmLayerSpec lstm) gates = System.Math.Max(gates, lstm.GateWidth);
                        if (recurrent is GruLayerSpec gru && gruProjects(gru)) gates = System.Math.Max(gates, 3 * gru.Units);
                        break;
                    case BidirectionalLayerSpec bidirectional:
                        scratch = System.Math.Max(scratch, bidirectional.ScratchSize);
                        gates = System.Math.Max(gates, bidirectional.LstmGateWidth);
                        foreach (RecurrentLayerSpec direction in new[] { bidirectional.Forward, bidirectional.Backward })
                        {
                            if (direction is GruLayerSpec directionGru && gruProjects(directionGru)) gates = System.Math.Max(gates, 3 * directionGru.Units);
                        }
                        break;
                }
            }
            return (scratch, gates);
        }
    }
}
