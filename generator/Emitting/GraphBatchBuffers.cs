using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The buffers of a graph's PredictBatch (<see cref="GraphBatchEmitter"/>): the gathered rows <c>xs</c> and the
    /// scratch <c>zs</c> of the recurrent rows forms, each recurrent layer's h (and c), each vector output
    /// (<c>y{n}</c>, <c>a{n}</c>) and each sequence output <c>k{n}</c>, all per sequence of the block; and each causal
    /// convolution's history, used by one sequence at a time.
    /// </summary>
    internal static class GraphBatchBuffers
    {
        /// <summary>A buffer: <see cref="Floats"/> (generated code) per sequence of the block, or in all when not <see cref="PerBlock"/>.</summary>
        internal readonly struct Buffer
        {
            public Buffer(string name, int floats, string comment, bool perBlock = true)
                : this(name, IntLiteral.Format(floats), floats, comment, perBlock)
            {
            }

            public Buffer(string name, string floats, int? fixedFloats, string comment, bool perBlock = true)
            {
                Name = name;
                Floats = floats;
                FixedFloats = fixedFloats;
                Comment = comment;
                PerBlock = perBlock;
            }

            public string Name { get; }

            public string Floats { get; }

            /// <summary>The floats when they do not depend on the input's length, else null.</summary>
            public int? FixedFloats { get; }

            public string Comment { get; }

            public bool PerBlock { get; }
        }

        /// <param name="model">The graph.</param>
        /// <param name="rows">The rows of the sequence a layer leaves, in generated code.</param>
        public static List<Buffer> For(ModelSpec model, System.Func<int, string> rows)
        {
            int input = 0, scratch = 0;
            var state = new List<Buffer>();
            var outputs = new List<Buffer>();
            void AddRecurrent(string label, RecurrentLayerSpec recurrent, string owner)
            {
                input = System.Math.Max(input, recurrent.InputSize);
                scratch = System.Math.Max(scratch, recurrent.ScratchSize);
                int units = recurrent.Units;
                state.Add(new Buffer($"h{label}", units, $"h of {owner}, one row per sequence"));
                if (recurrent is LstmLayerSpec) state.Add(new Buffer($"c{label}", units, $"c of {owner}"));
            }
            for (int i = 0; i < model.Layers.Count; i++)
            {
                int n = i + 1;
                LayerSpec layer = model.Layers[i];
                switch (layer)
                {
                    case RecurrentLayerSpec recurrent:
                        AddRecurrent(IntLiteral.Format(n), recurrent, $"layer {n}");
                        break;
                    case BidirectionalLayerSpec bidirectional:
                        AddRecurrent(BidirectionalEmitter.Label(n, forward: true), bidirectional.Forward, $"layer {n}, forward");
                        AddRecurrent(BidirectionalEmitter.Label(n, forward: false), bidirectional.Backward, $"layer {n}, backward");
                        if (!bidirectional.ReturnSequences) outputs.Add(new Buffer(BidirectionalEmitter.Output(n), layer.OutputSize, $"layer {n}: the merged final outputs"));
                        break;
                    case Conv1DLayerSpec { HistoryFloats: > 0 } conv:
                        outputs.Add(new Buffer($"history{n}", conv.HistoryFloats, $"layer {n}: the rows before the sequence (one sequence at a time)", perBlock: false));
                        break;
                }
                if (layer.PassesDataThrough || layer is FlattenLayerSpec { InputIsSequence: false }) continue;
                if (layer.IsSequence)
                {
                    string length = IndexExpression.Times(rows(i), IntLiteral.Format(layer.OutputSize));
                    outputs.Add(new Buffer($"k{n}", length, model.StepsAfter(i) * layer.OutputSize, $"layer {n}: [block, {rows(i)}, {IntLiteral.Format(layer.OutputSize)}]"));
                }
                else if (layer is MergeLayerSpec or FlattenLayerSpec or GlobalPoolingLayerSpec || BatchLayerEmitter.HasOutputRows(layer))
                {
                    outputs.Add(new Buffer($"a{n}", layer.OutputSize, $"layer {n}: one vector per sequence"));
                }
            }
            var buffers = new List<Buffer>();
            if (input > 0)
            {
                buffers.Add(new Buffer("xs", input, "the rows a recurrent layer reads at one timestep, one per sequence"));
                buffers.Add(new Buffer("zs", scratch, "scratch of the recurrent layers' rows forms"));
            }
            buffers.AddRange(state);
            buffers.AddRange(outputs);
            return buffers;
        }
    }
}
