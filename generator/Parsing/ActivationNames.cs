using System;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>Maps the activation names Keras 2, Keras 3 and TensorFlow.js write to exact functions.</summary>
    internal static class ActivationNames
    {
        public const string Supported = "tanh, sigmoid, hard_sigmoid, relu, linear, elu, selu, softsign, softplus, swish (silu), exponential";

        public const string SupportedWithSoftmax = Supported + ", softmax";

        /// <summary>
        /// Resolves <paramref name="name"/>; spelling is normalised (case, underscores) because tfjs writes
        /// "hardSigmoid" where Keras writes "hard_sigmoid".
        /// </summary>
        public static bool TryResolve(string name, bool keras3, out Activation activation)
        {
            switch (name.Replace("_", string.Empty).ToLowerInvariant())
            {
                case "linear": activation = Activation.Linear; return true;
                case "tanh": activation = Activation.Tanh; return true;
                case "sigmoid": activation = Activation.Sigmoid; return true;
                case "hardsigmoid": activation = keras3 ? Activation.HardSigmoidKeras3 : Activation.HardSigmoid; return true;
                case "relu": activation = Activation.Relu; return true;
                case "elu": activation = Activation.Elu; return true;
                case "selu": activation = Activation.Selu; return true;
                case "softsign": activation = Activation.Softsign; return true;
                case "softplus": activation = Activation.Softplus; return true;
                case "swish":
                case "silu": activation = Activation.Swish; return true;
                case "exponential": activation = Activation.Exponential; return true;
                case "softmax": activation = Activation.Softmax; return true;
                default: activation = Activation.Linear; return false;
            }
        }
    }
}
