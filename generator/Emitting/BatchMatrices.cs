using System.Collections.Generic;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The matrices of one PredictBatch block, one row per sequence: the gathered inputs <c>xs</c>, every recurrent
    /// layer's h (and c), each layer's output rows, the scratch <c>zs</c>, and for masked models the kept state rows.
    /// </summary>
    internal static class BatchMatrices
    {
        /// <summary>A matrix of the block: <see cref="Floats"/> per sequence, so it spans <c>block × Floats</c> floats.</summary>
        internal readonly struct Matrix
        {
            public Matrix(string name, int floats, bool isState)
            {
                Name = name;
                Floats = floats;
                IsState = isState;
            }

            public string Name { get; }

            public int Floats { get; }

            public bool IsState { get; }
        }

        public static List<Matrix> For(ModelSpec model, ExecutionPlan plan)
        {
            int inputWidth = model.Features, scratch = 0;
            var matrices = new List<Matrix>();
            void AddRecurrent(string label, RecurrentLayerSpec recurrent)
            {
                matrices.Add(new Matrix($"h{label}", recurrent.Units, isState: true));
                if (recurrent is LstmLayerSpec) matrices.Add(new Matrix($"c{label}", recurrent.Units, isState: true));
                scratch = System.Math.Max(scratch, recurrent.ScratchSize);
            }
            for (int s = 0; s < plan.Stages.Count; s++)
            {
                // The first stage of a RepeatVector phase reads the repeated vectors where they are, not from xs.
                ExecutionPlan.Stage stage = plan.Stages[s];
                ExecutionPlan.Phase phase = plan.Phases[stage.Phase];
                if (phase.RepeatLayer is not null && s == phase.FirstStage) continue;
                inputWidth = System.Math.Max(inputWidth, model.Layers[stage.Layers[0]].InputSize);
            }
            if (model.Embedding is EmbeddingLayerSpec embedding) inputWidth = System.Math.Max(inputWidth, embedding.OutputDim);
            for (int i = 0; i < model.Layers.Count; i++)
            {
                int n = i + 1;
                switch (model.Layers[i])
                {
                    case RecurrentLayerSpec recurrent:
                        AddRecurrent(IntLiteral.Format(n), recurrent);
                        break;
                    case BidirectionalLayerSpec bidirectional:
                        AddRecurrent(BidirectionalEmitter.Label(n, forward: true), bidirectional.Forward);
                        AddRecurrent(BidirectionalEmitter.Label(n, forward: false), bidirectional.Backward);
                        if (!bidirectional.ReturnSequences) matrices.Add(new Matrix(BidirectionalEmitter.Output(n), bidirectional.OutputSize, isState: false));
                        break;
                    case LayerSpec layer when BatchLayerEmitter.HasOutputRows(layer):
                        matrices.Add(new Matrix($"a{n}", layer.OutputSize, isState: false));
                        break;
                    case FlattenLayerSpec { InputIsSequence: true } or GlobalPoolingLayerSpec:
                        // Filled timestep by timestep: Flatten's vector row by row, a pooling's running sum or maximum.
                        matrices.Add(new Matrix($"a{n}", model.Layers[i].OutputSize, isState: false));
                        break;
                }
            }
            matrices.Insert(0, new Matrix("xs", inputWidth, isState: false));
            matrices.Add(new Matrix("zs", scratch, isState: false));
            if (model.HasMask)
            {
                // The state rows of masked sequences, kept across a step that must not change them.
                int widest = 0;
                foreach (Matrix m in matrices)
                {
                    if (m.IsState) widest = System.Math.Max(widest, m.Floats);
                }
                matrices.Add(new Matrix("keptH", widest, isState: false));
                matrices.Add(new Matrix("keptC", widest, isState: false));
            }
            return matrices;
        }
    }
}
