namespace LstmGen.Generator.Model
{
    /// <summary>
    /// Keras <c>BatchNormalization</c> at inference, over the last axis (per timestep on a sequence):
    /// y = gamma · (x − moving_mean) / sqrt(moving_variance + epsilon) + beta; no gamma (scale=false) is 1, no beta (center=false) is 0.
    /// </summary>
    internal sealed record BatchNormalizationLayerSpec(
        string Name,
        int InputSize,
        bool IsSequence,
        float Epsilon,
        Tensor? Gamma,
        Tensor? Beta,
        Tensor MovingMean,
        Tensor MovingVariance)
        : LayerSpec(Name, "BatchNormalization", InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => (Gamma?.Length ?? 0) + (Beta?.Length ?? 0) + MovingMean.Length + MovingVariance.Length;

        public override string Description => $"BatchNormalization '{Name}': {Plural.Count(InputSize, "feature")}, epsilon {Epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"
            + (Gamma is null ? ", no gamma (scale=false)" : string.Empty)
            + (Beta is null ? ", no beta (center=false)" : string.Empty)
            + (IsSequence ? ", applied per timestep" : string.Empty);
    }

    /// <summary>
    /// Keras <c>LayerNormalization</c> over the last axis (each timestep's row on its own): y = gamma · (x − mean) /
    /// sqrt(variance + epsilon) + beta with the row's mean and biased variance; no gamma is 1, no beta is 0.
    /// </summary>
    internal sealed record LayerNormalizationLayerSpec(string Name, int InputSize, bool IsSequence, float Epsilon, Tensor? Gamma, Tensor? Beta)
        : LayerSpec(Name, "LayerNormalization", InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => (Gamma?.Length ?? 0) + (Beta?.Length ?? 0);

        public override string Description => $"LayerNormalization '{Name}': {Plural.Count(InputSize, "feature")}, epsilon {Epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"
            + (Gamma is null ? ", no gamma (scale=false)" : string.Empty)
            + (Beta is null ? ", no beta (center=false)" : string.Empty)
            + (IsSequence ? ", applied per timestep" : string.Empty);
    }
}
