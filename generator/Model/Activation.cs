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
}
