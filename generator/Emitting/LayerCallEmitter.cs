using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>The call of one layer's method on one row (a timestep, or the tail's vector), shared by Predict and Step.</summary>
    internal sealed class LayerCallEmitter
    {
        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;

        public LayerCallEmitter(IndentedWriter writer, ModelSpec model)
        {
            _w = writer;
            _model = model;
        }

        /// <summary>
        /// Emits the call for layer index <paramref name="i"/> on <paramref name="input"/>, the row of timestep
        /// <paramref name="t"/>; returns the name of its output. A recurrent layer given <paramref name="maskRow"/>
        /// (the input timestep its row comes from) skips a masked timestep, keeping its state, so its output there
        /// is the previous h.
        /// </summary>
        public string Emit(int i, string input, string t = "0", string? maskRow = null)
        {
            int n = i + 1;
            LayerSpec layer = _model.Layers[i];
            if (maskRow is not null && layer is RecurrentLayerSpec)
            {
                _w.Line("// A masked timestep keeps h (and c); the output is the previous h.");
                using (_w.Block($"if (!Masked(input, {maskRow}))"))
                {
                    Emit(i, input, t);
                }
                return $"h{n}";
            }
            switch (layer)
            {
                case LstmLayerSpec lstm when FusedStepEmitter.Applies(_w, lstm):
                    _w.Line($"Layer{n}Fused({input}, h{n}, c{n}, z);");
                    return $"h{n}";
                case LstmLayerSpec:
                    _w.Line($"Layer{n}Project({input}, 1, z);");
                    _w.Line($"Layer{n}Step(z, h{n}, c{n});");
                    return $"h{n}";
                case GruLayerSpec gru when GruEmitter.Alternates(_w, gru):
                    // Odd timesteps walk the matrices last first (see GruEmitter.Alternates).
                    _w.Line($"Layer{n}({input}, h{n}, z, {IndexExpression.Odd(t)});");
                    return $"h{n}";
                case RecurrentLayerSpec:
                    _w.Line($"Layer{n}({input}, h{n}, z);");
                    return $"h{n}";
                case DenseLayerSpec:
                case ActivationLayerSpec:
                case EmbeddingLayerSpec:
                case BatchNormalizationLayerSpec:
                case LayerNormalizationLayerSpec:
                    _w.Line($"Layer{n}({input}, a{n});");
                    return $"a{n}";
                case Conv1DLayerSpec { Streams: true } conv:
                    // One row in, one row out; the layer keeps its last inputs in the State.
                    _w.Line($"Layer{n}({input}, 1, a{n}{(conv.HistoryRows > 0 ? $", history{n}" : string.Empty)});");
                    return $"a{n}";
                case FlattenLayerSpec { InputIsSequence: true }:
                    _w.Line($"Layer{n}({input}, a{n}, {t});");
                    return $"a{n}";
                case GlobalPoolingLayerSpec pooling:
                    _w.Line($"GlobalPooling.{(pooling.Max ? "Maximum" : "Accumulate")}({input}, a{n}); // layer {n}, {pooling.ClassName}");
                    return $"a{n}";
                default:
                    _w.Line($"// Layer {n}: {CommentText.Line(_model.Layers[i].Description)}.");
                    return input;
            }
        }
    }
}
