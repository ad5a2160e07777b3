namespace LstmGen.Generator.Model
{
    /// <summary>Keras <c>RepeatVector(n)</c>: a vector in, a sequence of <see cref="Repeats"/> copies of it out.</summary>
    internal sealed record RepeatVectorLayerSpec(string Name, int InputSize, int Repeats)
        : LayerSpec(Name, "RepeatVector", InputSize, IsSequence: true)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description => $"RepeatVector '{Name}': the vector as {Plural.Count(Repeats, "row")} of a new sequence";

        public override string? WhyNotCausal => $"layer '{Name}' is RepeatVector: the sequence after it starts only once the whole input is read";
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

        public override string Description => !InputIsSequence
            ? $"Flatten '{Name}': the identity on a vector"
            : $"Flatten '{Name}': {Plural.Count(Steps, "timestep")} × {Plural.Count(InputSize, "feature")} into one vector of {Plural.Count(OutputSize, "float")}"
              + (ChannelsFirst ? ", feature after feature (data_format channels_first)" : ", row after row");

        public override string? WhyNotCausal => InputIsSequence ? $"layer '{Name}' is Flatten over the timesteps: its output needs the whole sequence" : null;

        public override bool ReducesTimeAxis => InputIsSequence;
    }

    /// <summary>Keras <c>GlobalAveragePooling1D</c> / <c>GlobalMaxPooling1D</c>: the mean or the maximum of each feature over the timesteps.</summary>
    internal sealed record GlobalPoolingLayerSpec(string Name, int InputSize, bool Max)
        : LayerSpec(Name, Max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D", InputSize, IsSequence: false)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description => $"{ClassName} '{Name}': the {(Max ? "maximum" : "mean")} of each of {Plural.Count(InputSize, "feature")} over the timesteps";

        public override string? WhyNotCausal => $"layer '{Name}' is {ClassName}: it pools over the whole sequence";

        public override bool ReducesTimeAxis => true;
    }
}
