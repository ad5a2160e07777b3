using System.Globalization;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// The generated methods and weights of BatchNormalization and LayerNormalization (one row: a timestep or the
    /// vector); the runtime's Normalization helpers do the arithmetic.
    /// </summary>
    internal static class NormalizationEmitter
    {
        public static void EmitMethod(IndentedWriter w, int number, LayerSpec layer)
        {
            switch (layer)
            {
                case BatchNormalizationLayerSpec b:
                    w.Line($"/// <summary>Layer {number}, {CommentText.Xml(b.Description)}: y = gamma · (x − moving_mean) / sqrt(moving_variance + epsilon) + beta.</summary>");
                    using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
                    {
                        string gamma = b.Gamma is null ? "default" : $"Layer{number}Gamma";
                        string beta = b.Beta is null ? "default" : $"Layer{number}Beta";
                        w.Line($"Normalization.Batch(x, y, {gamma}, {beta}, Layer{number}MovingMean, Layer{number}MovingVariance, {FloatLiteral.Format(b.Epsilon)});");
                    }
                    w.Line();
                    break;
                case LayerNormalizationLayerSpec l:
                    w.Line($"/// <summary>Layer {number}, {CommentText.Xml(l.Description)}: y = gamma · (x − mean(x)) / sqrt(variance(x) + epsilon) + beta, over the row.</summary>");
                    using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
                    {
                        string gamma = l.Gamma is null ? "default" : $"Layer{number}Gamma";
                        string beta = l.Beta is null ? "default" : $"Layer{number}Beta";
                        w.Line($"Normalization.Layer(x, y, {l.InputSize}, {gamma}, {beta}, {FloatLiteral.Format(l.Epsilon)});");
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

    }
}
