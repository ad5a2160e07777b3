using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits one method per computing layer (one timestep, or the single tail vector) and that layer's
    /// weights. Methods are named <c>Layer{n}</c> after the layer's 1-based position in the model.
    /// </summary>
    internal static class LayerEmitter
    {
        /// <summary>One line describing the layer, for comments and the XML remarks.</summary>
        public static string Describe(LayerSpec layer) => layer switch
        {
            LstmLayerSpec l => $"LSTM '{l.Name}': {Count(l.Units, "unit")}, activation {ActivationNames.KerasName(l.Activation)}, recurrent_activation {ActivationNames.KerasName(l.RecurrentActivation)}"
                + (l.Bias is null ? ", no bias" : string.Empty)
                + (l.GoBackwards ? ", go_backwards" : string.Empty)
                + (l.ReturnSequences ? ", returns sequences" : ", returns the last output"),
            DenseLayerSpec d => $"Dense '{d.Name}': {Count(d.Units, "unit")}, activation {ActivationNames.KerasName(d.Activation)}"
                + (d.Bias is null ? ", no bias" : string.Empty)
                + (d.IsSequence ? ", applied per timestep" : string.Empty),
            ActivationLayerSpec a => $"Activation '{a.Name}': {ActivationNames.KerasName(a.Activation)}",
            IdentityLayerSpec i => $"{i.ClassName} '{i.Name}': the identity at inference",
            _ => layer.ClassName + " '" + layer.Name + "'",
        };

        private static string Name(Activation activation) => activation switch
        {
            Activation.HardSigmoid or Activation.HardSigmoidKeras3 => "hard_sigmoid",
            _ => ActivationNames.KerasName(activation),
        };

        private static string Count(int n, string noun) => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");

        public static void EmitMethod(IndentedWriter w, int number, LayerSpec layer)
        {
            switch (layer)
            {
                case LstmLayerSpec lstm:
                    EmitLstm(w, number, lstm);
                    break;
                case DenseLayerSpec dense:
                    EmitDense(w, number, dense);
                    break;
                case ActivationLayerSpec activation:
                    EmitActivation(w, number, activation);
                    break;
            }
        }

        public static void EmitWeights(IndentedWriter w, int number, LayerSpec layer)
        {
            string owner = $"Layer {number}, {layer.ClassName} '{layer.Name}'";
            switch (layer)
            {
                case LstmLayerSpec lstm:
                    WeightsEmitter.Emit(w, $"Layer{number}Kernel", owner + ": kernel (input × gates i, f, c, o)", lstm.Kernel);
                    w.Line();
                    WeightsEmitter.Emit(w, $"Layer{number}RecurrentKernel", owner + ": recurrent kernel (units × gates i, f, c, o)", lstm.RecurrentKernel);
                    if (lstm.Bias is not null)
                    {
                        w.Line();
                        WeightsEmitter.Emit(w, $"Layer{number}Bias", owner + ": bias (gates i, f, c, o)", lstm.Bias);
                    }
                    w.Line();
                    break;
                case DenseLayerSpec dense:
                    WeightsEmitter.Emit(w, $"Layer{number}Kernel", owner + ": kernel (input × units)", dense.Kernel);
                    if (dense.Bias is not null)
                    {
                        w.Line();
                        WeightsEmitter.Emit(w, $"Layer{number}Bias", owner + ": bias", dense.Bias);
                    }
                    w.Line();
                    break;
            }
        }

        private static void EmitLstm(IndentedWriter w, int number, LstmLayerSpec l)
        {
            int u = l.Units;
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(l))}. One timestep: reads x and the previous h, c; writes the new h, c.</summary>");
            w.Line("/// <remarks>Gates i, f, c, o = x·W + h·U + b; c = f * c + i * activation(c̃); h = o * activation(c).</remarks>");
            using (w.Block($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> h, Span<float> c, Span<float> z)"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"x = x.Slice(0, {l.InputSize});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"c = c.Slice(0, {u});");
                w.Line($"z = z.Slice(0, {4 * u});");
                w.Line();
                w.Line($"// Gate pre-activations z = x·W + h·U + b, W [{l.InputSize}, {4 * u}], U [{u}, {4 * u}].");
                using (w.Block())
                {
                    GemvEmitter.Emit(w, "z", 4 * u, l.Bias is null ? null : $"Layer{number}Bias", new[]
                    {
                        new GemvTerm("x", $"Layer{number}Kernel", l.InputSize),
                        new GemvTerm("h", $"Layer{number}RecurrentKernel", u),
                    });
                }
                w.Line();
                w.Line($"// c = {Name(l.RecurrentActivation)}(f) * c + {Name(l.RecurrentActivation)}(i) * {Name(l.Activation)}(c̃); h = {Name(l.RecurrentActivation)}(o) * {Name(l.Activation)}(c), one fused pass over the units.");
                w.Line($"LstmCell.Update<{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}>(z, c, h);");
            }
            w.Line();
        }

        private static void EmitDense(IndentedWriter w, int number, DenseLayerSpec d)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(d))}: y = activation(x·W + b), W [{d.InputSize}, {d.Units}].</summary>");
            using (w.Block($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
            {
                w.Line($"x = x.Slice(0, {d.InputSize});");
                w.Line($"y = y.Slice(0, {d.Units});");
                using (w.Block())
                {
                    GemvEmitter.Emit(w, "y", d.Units, d.Bias is null ? null : $"Layer{number}Bias", new[]
                    {
                        new GemvTerm("x", $"Layer{number}Kernel", d.InputSize),
                    });
                }
                ActivationEmitter.Emit(w, d.Activation, "y");
            }
            w.Line();
        }

        private static void EmitActivation(IndentedWriter w, int number, ActivationLayerSpec a)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(Describe(a))}.</summary>");
            using (w.Block($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
            {
                w.Line($"x.Slice(0, {a.InputSize}).CopyTo(y);");
                ActivationEmitter.Emit(w, a.Activation, $"y.Slice(0, {a.InputSize})");
            }
            w.Line();
        }
    }
}
