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

        // The layer kind's facts, each kind's in its own record: the planner and the emitters ask these and never
        // test for a layer type to learn them.

        /// <summary>One line describing the layer, for generated comments, the XML remarks and messages.</summary>
        public abstract string Description { get; }

        /// <summary>
        /// Why output t depends on more than inputs 0..t (so there can be no <c>Step</c>), or null when the layer is causal.
        /// </summary>
        public virtual string? WhyNotCausal => null;

        /// <summary>
        /// A layer that turns the sequence into one vector while the timesteps run (Flatten over the timesteps, global
        /// pooling): it ends the phase's sequence part like a many-to-one recurrent layer.
        /// </summary>
        public virtual bool ReducesTimeAxis => false;

        /// <summary>The data leaves the layer as it came in (Dropout and friends, Masking): no code runs for it.</summary>
        public virtual bool PassesDataThrough => false;

        /// <summary>
        /// The layer maps the whole sequence to a new one, whose row count may differ (<see cref="SequenceLayerSpec"/>):
        /// it runs as a stage of its own.
        /// </summary>
        public virtual bool ChangesSequence => false;
    }

    /// <summary>
    /// A recurrent layer (LSTM, GRU, SimpleRNN): runs once per timestep over a sequence, carrying a hidden state
    /// of <see cref="Units"/> floats; outputs every step's h or, without return_sequences, the last one.
    /// </summary>
    internal abstract record RecurrentLayerSpec(string Name, string ClassName, int InputSize, int Units, bool ReturnSequences, bool GoBackwards)
        : LayerSpec(Name, ClassName, InputSize, ReturnSequences)
    {
        public override int OutputSize => Units;

        /// <summary>
        /// Keras <c>zero_output_for_mask</c>: a masked timestep outputs zeros instead of the previous output (the
        /// state is carried over either way). Keras 2 and 3 force it to return_sequences on the layers inside
        /// Bidirectional; tfjs has no such option (false).
        /// </summary>
        public bool ZeroMaskedOutput { get; init; }

        /// <summary>Floats of scratch one timestep needs (gate pre-activations and intermediates).</summary>
        public abstract int ScratchSize { get; }

        /// <summary>What every recurrent layer's description ends with.</summary>
        protected string Flags(Tensor? bias)
            => (bias is null ? ", no bias" : string.Empty)
               + (GoBackwards ? ", go_backwards" : string.Empty)
               + (ReturnSequences ? ", returns sequences" : ", returns the last output");

        public override string? WhyNotCausal => GoBackwards ? $"layer '{Name}' reads its input backwards (go_backwards)" : null;
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
        : RecurrentLayerSpec(Name, "LSTM", InputSize, Units, ReturnSequences, GoBackwards)
    {
        public int GateWidth => 4 * Units;

        public override int ScratchSize => GateWidth;

        public override int ParameterCount => Kernel.Length + RecurrentKernel.Length + (Bias?.Length ?? 0);

        public override string Description
            => $"LSTM '{Name}': {Plural.Count(Units, "unit")}, activation {ActivationText.KerasName(Activation)}, recurrent_activation {ActivationText.KerasName(RecurrentActivation)}"
               + Flags(Bias);
    }

    /// <summary>
    /// Keras <c>GRU</c>: kernel (in, 3u), recurrent kernel (u, 3u); gates z, r, h. With <see cref="ResetAfter"/>
    /// the bias is (2, 3u) = [input bias; recurrent bias] and r multiplies h·U_h + b_rec_h (what PyTorch computes);
    /// without it the bias is (3u) and r multiplies h before the product: (r∘h)·U_h.
    /// </summary>
    internal sealed record GruLayerSpec(
        string Name,
        int InputSize,
        int Units,
        Activation Activation,
        Activation RecurrentActivation,
        bool ReturnSequences,
        bool GoBackwards,
        bool ResetAfter,
        Tensor Kernel,
        Tensor RecurrentKernel,
        Tensor? Bias)
        : RecurrentLayerSpec(Name, "GRU", InputSize, Units, ReturnSequences, GoBackwards)
    {
        /// <summary>[z, r pre-activations (2u) | candidate input part (u) | candidate recurrent part (u) | r∘h (u, reset before only)].</summary>
        public override int ScratchSize => (ResetAfter ? 4 : 5) * Units;

        public override int ParameterCount => Kernel.Length + RecurrentKernel.Length + (Bias?.Length ?? 0);

        public override string Description
            => $"GRU '{Name}': {Plural.Count(Units, "unit")}, activation {ActivationText.KerasName(Activation)}, recurrent_activation {ActivationText.KerasName(RecurrentActivation)}"
               + (ResetAfter ? ", reset_after" : ", reset before the recurrent product (reset_after=false)")
               + Flags(Bias);
    }

    /// <summary>Keras <c>SimpleRNN</c>: kernel (in, u), recurrent kernel (u, u), bias (u); h = activation(x·W + h·U + b).</summary>
    internal sealed record SimpleRnnLayerSpec(
        string Name,
        int InputSize,
        int Units,
        Activation Activation,
        bool ReturnSequences,
        bool GoBackwards,
        Tensor Kernel,
        Tensor RecurrentKernel,
        Tensor? Bias)
        : RecurrentLayerSpec(Name, "SimpleRNN", InputSize, Units, ReturnSequences, GoBackwards)
    {
        public override int ScratchSize => Units;

        public override int ParameterCount => Kernel.Length + RecurrentKernel.Length + (Bias?.Length ?? 0);

        public override string Description
            => $"SimpleRNN '{Name}': {Plural.Count(Units, "unit")}, activation {ActivationText.KerasName(Activation)}" + Flags(Bias);
    }

    /// <summary>Keras's spelling of each <see cref="MergeMode"/>.</summary>
    internal static class MergeModeText
    {
        public static string KerasName(MergeMode mode) => mode switch
        {
            MergeMode.Sum => "sum",
            MergeMode.Average => "ave",
            MergeMode.Multiply => "mul",
            _ => "concat",
        };
    }

    /// <summary>How a <see cref="BidirectionalLayerSpec"/> combines the two directions (Keras <c>merge_mode</c>).</summary>
    internal enum MergeMode
    {
        /// <summary>[forward, backward], 2 × units wide.</summary>
        Concat,

        /// <summary>forward + backward.</summary>
        Sum,

        /// <summary>(forward + backward) / 2 (tfjs: 0.5 · (forward + backward), the same float).</summary>
        Average,

        /// <summary>forward · backward.</summary>
        Multiply,
    }

    /// <summary>
    /// Keras <c>Bidirectional</c> around a recurrent layer: <see cref="Forward"/> and <see cref="Backward"/> both run
    /// over the whole input sequence, each in its own direction (their <c>go_backwards</c> flags differ). With
    /// return_sequences, output row t merges the forward layer's output of processing step t with the backward
    /// layer's output of processing step T-1-t (Keras reverses the backward output back to input time order);
    /// without it, the two final outputs are merged.
    /// </summary>
    internal sealed record BidirectionalLayerSpec(
        string Name,
        int InputSize,
        RecurrentLayerSpec Forward,
        RecurrentLayerSpec Backward,
        MergeMode MergeMode)
        : LayerSpec(Name, "Bidirectional", InputSize, Forward.ReturnSequences)
    {
        public bool ReturnSequences => Forward.ReturnSequences;

        /// <summary>Concat: forward units then backward units; otherwise the units both directions share.</summary>
        public override int OutputSize => MergeMode == MergeMode.Concat ? Forward.Units + Backward.Units : Forward.Units;

        public override int ParameterCount => Forward.ParameterCount + Backward.ParameterCount;

        /// <summary>The per-step scratch of the wider direction.</summary>
        public int ScratchSize => System.Math.Max(Forward.ScratchSize, Backward.ScratchSize);

        /// <summary>The gate row of the wider LSTM direction, 0 when neither is an LSTM.</summary>
        public int LstmGateWidth => System.Math.Max(Forward is LstmLayerSpec f ? f.GateWidth : 0, Backward is LstmLayerSpec b ? b.GateWidth : 0);

        public override string Description
            => $"Bidirectional '{Name}': merge_mode {MergeModeText.KerasName(MergeMode)}"
               + (ReturnSequences ? ", returns sequences" : ", returns the last outputs")
               + $", forward {Forward.Description}; backward {Backward.Description}";

        public override string? WhyNotCausal => $"layer '{Name}' is Bidirectional: its backward half needs the whole sequence";
    }

    /// <summary>
    /// Keras <c>Dense</c>, applied to the last axis (per timestep when the input is a sequence). Also
    /// <c>TimeDistributed(Dense)</c> (<see cref="TimeDistributed"/>), which computes the same on a sequence.
    /// </summary>
    internal sealed record DenseLayerSpec(
        string Name,
        int InputSize,
        int Units,
        Activation Activation,
        bool IsSequence,
        Tensor Kernel,
        Tensor? Bias,
        bool TimeDistributed = false)
        : LayerSpec(Name, TimeDistributed ? "TimeDistributed" : "Dense", InputSize, IsSequence)
    {
        public override int OutputSize => Units;

        public override int ParameterCount => Kernel.Length + (Bias?.Length ?? 0);

        public override string Description
            => (TimeDistributed ? "TimeDistributed(Dense)" : "Dense") + $" '{Name}': {Plural.Count(Units, "unit")}, activation {ActivationText.KerasName(Activation)}"
               + (Bias is null ? ", no bias" : string.Empty)
               + (IsSequence ? ", applied per timestep" : string.Empty);
    }

    /// <summary>Keras <c>Activation</c> layer.</summary>
    internal sealed record ActivationLayerSpec(string Name, int InputSize, Activation Activation, bool IsSequence)
        : LayerSpec(Name, "Activation", InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description => $"Activation '{Name}': {ActivationText.KerasName(Activation)}";
    }

    /// <summary>A layer that is the identity at inference (Dropout and friends), kept so the generated code can say so.</summary>
    internal sealed record IdentityLayerSpec(string Name, string ClassName, int InputSize, bool IsSequence)
        : LayerSpec(Name, ClassName, InputSize, IsSequence)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description => $"{ClassName} '{Name}': the identity at inference";

        public override bool PassesDataThrough => true;
    }

    /// <summary>
    /// Keras <c>Masking</c> on the model input: a timestep whose features all equal <see cref="MaskValue"/> is
    /// masked, and every recurrent layer skips it. The layer also zeroes such rows, but only the recurrent layers
    /// that skip them could see that, so the data passes unchanged.
    /// </summary>
    internal sealed record MaskingLayerSpec(string Name, int InputSize, float MaskValue)
        : LayerSpec(Name, "Masking", InputSize, true)
    {
        public override int OutputSize => InputSize;

        public override int ParameterCount => 0;

        public override string Description => $"Masking '{Name}': a timestep whose features all equal {FloatLiteral.Format(MaskValue)} is masked (every recurrent layer skips it)";

        public override bool PassesDataThrough => true;
    }

    /// <summary>
    /// Keras <c>Embedding</c> as the first layer: the input is one token id per timestep, looked up in
    /// <see cref="Embeddings"/> (input_dim, output_dim). With <see cref="MaskZero"/> id 0 masks its timestep.
    /// </summary>
    internal sealed record EmbeddingLayerSpec(string Name, int InputDim, int OutputDim, bool MaskZero, Tensor Embeddings)
        : LayerSpec(Name, "Embedding", 1, true)
    {
        public override int OutputSize => OutputDim;

        public override int ParameterCount => Embeddings.Length;

        public override string Description
            => $"Embedding '{Name}': {Plural.Count(InputDim, "token id")} → {Plural.Count(OutputDim, "float")}"
               + (MaskZero ? ", mask_zero (id 0 masks its timestep)" : string.Empty);
    }
}
