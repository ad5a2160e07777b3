namespace LstmGen.Generator.Model
{
    /// <summary>
    /// An element-wise activation, already resolved to its exact formula: <see cref="HardSigmoid"/> and
    /// <see cref="HardSigmoidKeras3"/> are different functions that Keras spells the same way.
    /// </summary>
    internal enum Activation
    {
        Linear,
        Tanh,
        Sigmoid,
        /// <summary>Keras 2 and TensorFlow.js: clip(0.2x + 0.5, 0, 1).</summary>
        HardSigmoid,
        /// <summary>Keras 3: relu6(x + 3) / 6.</summary>
        HardSigmoidKeras3,
        Relu,
        Elu,
        Selu,
        Softsign,
        Softplus,
        Swish,
        Exponential,
        /// <summary>Over the last axis; only for Dense and Activation layers.</summary>
        Softmax,
    }

    /// <summary>How activations are named in generated comments and in messages.</summary>
    internal static class ActivationText
    {
        /// <summary>The Keras spelling, for comments and messages.</summary>
        public static string KerasName(Activation activation) => activation switch
        {
            Activation.Linear => "linear",
            Activation.Tanh => "tanh",
            Activation.Sigmoid => "sigmoid",
            Activation.HardSigmoid => "hard_sigmoid (Keras 2: clip(0.2x + 0.5, 0, 1))",
            Activation.HardSigmoidKeras3 => "hard_sigmoid (Keras 3: relu6(x + 3) / 6)",
            Activation.Relu => "relu",
            Activation.Elu => "elu",
            Activation.Selu => "selu",
            Activation.Softsign => "softsign",
            Activation.Softplus => "softplus",
            Activation.Swish => "swish",
            Activation.Exponential => "exponential",
            Activation.Softmax => "softmax",
            _ => throw new System.ArgumentOutOfRangeException(nameof(activation)),
        };

        /// <summary>The short Keras name (hard_sigmoid without its dialect note), for code comments.</summary>
        public static string ShortName(Activation activation) => activation switch
        {
            Activation.HardSigmoid or Activation.HardSigmoidKeras3 => "hard_sigmoid",
            _ => KerasName(activation),
        };
    }
}
