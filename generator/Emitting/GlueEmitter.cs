using System.Globalization;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The generated methods and weights of the sequence glue layers: BatchNormalization and LayerNormalization
    /// (one row: a timestep or the vector), Flatten over the timesteps (writes row t into its vector). RepeatVector
    /// and global pooling need no method: PredictEmitter copies the rows and calls the pooling helpers itself.
    /// </summary>
    internal static class GlueEmitter
    {
        public static string Describe(LayerSpec layer) => layer switch
        {
            RepeatVectorLayerSpec r => $"RepeatVector '{r.Name}': the vector as {Count(r.Repeats, "row")} of a new sequence",
            FlattenLayerSpec { InputIsSequence: false } f => $"Flatten '{f.Name}': the identity on a vector",
            FlattenLayerSpec f => $"Flatten '{f.Name}': {Count(f.Steps, "timestep")} × {Count(f.InputSize, "feature")} into one vector of {Count(f.OutputSize, "float")}"
                + (f.ChannelsFirst ? ", feature after feature (data_format channels_first)" : ", row after row"),
            GlobalPoolingLayerSpec p => $"{p.ClassName} '{p.Name}': the {(p.Max ? "maximum" : "mean")} of each of {Count(p.InputSize, "feature")} over the timesteps",
            BatchNormalizationLayerSpec b => $"BatchNormalization '{b.Name}': {Count(b.InputSize, "feature")}, epsilon {Float(b.Epsilon)}"
                + (b.Gamma is null ? ", no gamma (scale=false)" : string.Empty)
                + (b.Beta is null ? ", no beta (center=false)" : string.Empty)
                + (b.IsSequence ? ", applied per timestep" : string.Empty),
            LayerNormalizationLayerSpec l => $"LayerNormalization '{l.Name}': {Count(l.InputSize, "feature")}, epsilon {Float(l.Epsilon)}"
                + (l.Gamma is null ? ", no gamma (scale=false)" : string.Empty)
                + (l.Beta is null ? ", no beta (center=false)" : string.Empty)
                + (l.IsSequence ? ", applied per timestep" : string.Empty),
            _ => layer.ClassName + " '" + layer.Name + "'",
        };

        public static void EmitMethod(IndentedWriter w, int number, LayerSpec layer)
        {
            switch (layer)
            {
                case BatchNormalizationLayerSpec b:
                    w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(b))}: y = gamma · (x − moving_mean) / sqrt(moving_variance + epsilon) + beta.</summary>");
                    using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
                    {
                        string gamma = b.Gamma is null ? "default" : $"Layer{number}Gamma";
                        string beta = b.Beta is null ? "default" : $"Layer{number}Beta";
                        w.Line($"Normalization.Batch(x, y, {gamma}, {beta}, Layer{number}MovingMean, Layer{number}MovingVariance, {FloatLiteral.Format(b.Epsilon)});");
                    }
                    w.Line();
                    break;
                case LayerNormalizationLayerSpec l:
                    w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(l))}: y = gamma · (x − mean(x)) / sqrt(variance(x) + epsilon) + beta, over the row.</summary>");
                    using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
                    {
                        string gamma = l.Gamma is null ? "default" : $"Layer{number}Gamma";
                        string beta = l.Beta is null ? "default" : $"Layer{number}Beta";
                        w.Line($"Normalization.Layer(x, y, {l.InputSize}, {gamma}, {beta}, {FloatLiteral.Format(l.Epsilon)});");
                    }
                    w.Line();
                    break;
                case FlattenLayerSpec { InputIsSequence: true } f:
                    w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(f))}: writes timestep <paramref name=\"t\"/>'s row into y.</summary>");
                    using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y, int t)"))
                    {
                        if (f.ChannelsFirst)
                        {
                            w.Line($"// Keras transposes [timesteps, features] to [features, timesteps] first: feature j of row t goes to j × {f.Steps} + t.");
                            w.Line($"x = x.Slice(0, {f.InputSize});");
                            using (w.Block($"for (int j = 0; j < {f.InputSize}; j++)"))
                            {
                                w.Line($"y[(j * {f.Steps}) + t] = x[j];");
                            }
                        }
                        else
                        {
                            w.Line($"x.Slice(0, {f.InputSize}).CopyTo(y.Slice(t * {f.InputSize}, {f.InputSize}));");
                        }
                    }
                    w.Line();
                    break;
            }
        }

        /// <summary>Weights in get_weights() order (the order of the file), so every stored value is traceable.</summary>
        public static void EmitWeights(IndentedWriter w, int number, string owner, LayerSpec layer)
        {
            switch (layer)
            {
                case BatchNormalizationLayerSpec b:
                    if (b.Gamma is not null) Vector(w, $"Layer{number}Gamma", owner + ": gamma (scale)", b.Gamma);
                    if (b.Beta is not null) Vector(w, $"Layer{number}Beta", owner + ": beta (offset)", b.Beta);
                    Vector(w, $"Layer{number}MovingMean", owner + ": moving_mean", b.MovingMean);
                    Vector(w, $"Layer{number}MovingVariance", owner + ": moving_variance", b.MovingVariance);
                    break;
                case LayerNormalizationLayerSpec l:
                    if (l.Gamma is not null) Vector(w, $"Layer{number}Gamma", owner + ": gamma (scale)", l.Gamma);
                    if (l.Beta is not null) Vector(w, $"Layer{number}Beta", owner + ": beta (offset)", l.Beta);
                    break;
            }
        }

        private static void Vector(IndentedWriter w, string name, string description, Tensor tensor)
        {
            WeightsEmitter.Emit(w, name, description, tensor);
            w.Line();
        }

        private static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string Count(int n, string noun) => Plural.Count(n, noun);
    }
}
