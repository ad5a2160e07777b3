namespace LstmGen.Generator.Model
{
    /// <summary>Keras <c>RepeatVector(n)</c>: a vector in, a sequence of <see cref="Repeats"/> copies of it out.</summary>
    internal sealed record RepeatVectorLayerSpec(string Name, int InputSize, int Repeats)
        : LayerSpec(Name, "RepeatVector", InputSize, IsSequence: true)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;
    }

    /// <summary>
    /// Keras <c>Flatten</c>: a sequence of <see cref="Steps"/> rows becomes one vector of Steps · InputSize floats
    /// (row after row; with <see cref="ChannelsFirst"/> feature after feature, as Keras transposes first); on a
    /// vector it is the identity (<see cref="InputIsSequence"/> false, Steps 1).
    /// </summary>
    internal sealed record FlattenLayerSpec(string Name, int InputSize, int Steps, bool InputIsSequence, bool ChannelsFirst)
        : LayerSpec(Name, "Flatten", InputSize, IsSequence: false)
    {
        public override int OutputSize => Steps * InputSize;

        public override int ParameterCount => 0;
    }

    /// <summary>Keras <c>GlobalAveragePooling1D</c> / <c>GlobalMaxPooling1D</c>: the mean or the maximum of each feature over the timesteps.</summary>
    internal sealed record GlobalPoolingLayerSpec(string Name, int InputSize, bool Max)
        : LayerSpec(Name, Max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D", InputSize, IsSequence: false)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;
    }

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
    }
}
