using System;

namespace LstmGen.Generator.Model
{
    /// <summary>
    /// One layer of the compiled chain. Shapes are per timestep: <see cref="InputSize"/> in,
    /// <see cref="OutputSize"/> out; <see cref="IsSequence"/> says whether the layer's output still has a time axis.
    /// </summary>
    internal abstract record LayerSpec(string Name, string ClassName, int InputSize, bool IsSequence)
    {
        /// <summary>The Keras layer name, made safe to echo into generated comments (it is only ever displayed).</summary>
        public string Name { get; } = DisplayText.Escape(Name, DisplayText.MaxNameLength);

        public abstract int OutputSize { get; }

        public abstract int ParameterCount { get; }
    }

    /// <summary>Keras <c>LSTM</c>: kernel (in, 4u), recurrent kernel (u, 4u), bias (4u); gates i, f, c, o.</summary>
    internal sealed record LstmLayerSpec(
        string Name,
        int InputSize,
        int Units,
        Activation Activation,
        Activation RecurrentActivation,
        bool ReturnSequences,
        bool GoBackwards,
        Tensor Kernel,
        Tensor RecurrentKernel,
        Tensor? Bias)
        : LayerSpec(Name, "LSTM", InputSize, ReturnSequences)
    {
        public override int OutputSize => Units;

        public int GateWidth => 4 * Units;

        public override int ParameterCount => Kernel.Length + RecurrentKernel.Length + (Bias?.Length ?? 0);
    }

    /// <summary>Keras <c>Dense</c>, applied to the last axis (per timestep when the input is a sequence).</summary>
    internal sealed record DenseLayerSpec(
        string Name,
        int InputSize,
        int Units,
        Activation Activation,
        bool IsSequence,
        Tensor Kernel,
        Tensor? Bias)
        : LayerSpec(Name, "Dense", InputSize, IsSequence)
    {
        public override int OutputSize => Units;

        public override int ParameterCount => Kernel.Length + (Bias?.Length ?? 0);
    }

    /// <summary>Keras <c>Activation</c> layer.</summary>
    internal sealed record ActivationLayerSpec(string Name, int InputSize, Activation Activation, bool IsSequence)
        : LayerSpec(Name, "Activation", InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;
    }

    /// <summary>A layer that is the identity at inference (Dropout and friends), kept so the generated code can say so.</summary>
    internal sealed record IdentityLayerSpec(string Name, string ClassName, int InputSize, bool IsSequence)
        : LayerSpec(Name, ClassName, InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;
    }
}
