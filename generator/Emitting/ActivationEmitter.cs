using System;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>Emits the in-place activation call for a span (nothing for linear).</summary>
    internal static class ActivationEmitter
    {
        public static void Emit(IndentedWriter w, Activation activation, string span)
        {
            string? method = activation switch
            {
                Activation.Linear => null,
                Activation.Tanh => "Tanh",
                Activation.Sigmoid => "Sigmoid",
                Activation.HardSigmoid => "HardSigmoid",
                Activation.HardSigmoidKeras3 => "HardSigmoidKeras3",
                Activation.Relu => "Relu",
                Activation.Elu => "Elu",
                Activation.Selu => "Selu",
                Activation.Softsign => "Softsign",
                Activation.Softplus => "Softplus",
                Activation.Swish => "Swish",
                Activation.Exponential => "Exponential",
                Activation.Softmax => "Softmax",
                _ => throw new ArgumentOutOfRangeException(nameof(activation)),
            };
            w.Line(method is null ? "// linear: nothing to apply" : $"Activations.{method}({span});");
        }
    }
}
