using System;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>Emits activation calls: in place on a span, or as the runtime's activation type argument.</summary>
    internal static class ActivationEmitter
    {
        /// <summary>The runtime struct implementing <paramref name="activation"/> (not softmax, which is not element-wise).</summary>
        public static string TypeName(Activation activation) => activation switch
        {
            Activation.Linear => "LinearActivation",
            Activation.Tanh => "TanhActivation",
            Activation.Sigmoid => "SigmoidActivation",
            Activation.HardSigmoid => "HardSigmoidActivation",
            Activation.HardSigmoidKeras3 => "HardSigmoidKeras3Activation",
            Activation.Relu => "ReluActivation",
            Activation.Elu => "EluActivation",
            Activation.Selu => "SeluActivation",
            Activation.Softsign => "SoftsignActivation",
            Activation.Softplus => "SoftplusActivation",
            Activation.Swish => "SwishActivation",
            Activation.Exponential => "ExponentialActivation",
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };

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
            w.Line(method is null ? "// linear: nothing to apply" : $"SpanActivations.{method}({span});");
        }
    }
}
