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
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
    }
}
