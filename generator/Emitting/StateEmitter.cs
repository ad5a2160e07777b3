using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits the public streaming surface on the user's class: the <c>State</c> struct (all recurrent state in one
    /// inline array, so it lives wherever the caller puts it, with no heap), <c>Predict</c> from and into a State,
    /// and <c>Step</c> for causal models.
    /// </summary>
    internal static class StateEmitter
    {
        public static void EmitMembers(IndentedWriter w, ModelSpec model, string kernel, bool withStep)
        {
            w.Line("/// <summary>Runs the model on one sequence starting from <paramref name=\"state\"/> (Keras <c>initial_state</c>), and leaves the final state in it (Keras <c>return_state</c>).</summary>");
            w.Line(model.Embedding is null
                ? "/// <param name=\"input\">Row-major <c>[timesteps, features]</c>, as for the other overload.</param>"
                : "/// <param name=\"input\">Token ids <c>[timesteps]</c>, as for the other overload.</param>");
            w.Line("/// <param name=\"output\">Receives the last layer's output, as for the other overload.</param>");
            w.Line("/// <param name=\"state\">Every layer's recurrent state; <c>default</c> is Keras's zero initial state.</param>");
            w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{ModelEmitter.Version}\")]");
            w.Line($"public static void Predict(global::System.ReadOnlySpan<{model.InputType}> input, global::System.Span<float> output, ref State state)");
            w.Indent();
            w.Line($"=> global::LstmGen.Generated.{kernel}.Predict(input, output, state.AsSpan());");
            w.Outdent();
            w.Line();
            if (withStep)
            {
                w.Line("/// <summary>");
                w.Line("/// Consumes one timestep and writes the last layer's output for it: after step t, what <c>Predict</c> gives");
                w.Line("/// for row t of a sequence output, or for the prefix ending at t of a many-to-one model. The caller owns the");
                w.Line("/// state, so any number of streams run side by side (Keras <c>stateful=True</c>). Allocation-free.");
                w.Line("/// </summary>");
                w.Line("/// <param name=\"state\">The stream's state; <c>default</c> starts a new stream.</param>");
                w.Line(model.Embedding is null
                    ? "/// <param name=\"input\"><see cref=\"InputFeatures\"/> floats: one timestep.</param>"
                    : "/// <param name=\"input\">One token id: one timestep.</param>");
                if (model.HasMask)
                {
                    w.Line("/// <remarks>A masked timestep leaves the state unchanged and writes what Predict gives at that row.</remarks>");
                }
                w.Line("/// <param name=\"output\">Receives <see cref=\"OutputUnits\"/> floats.</param>");
                w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{ModelEmitter.Version}\")]");
                w.Line($"public static void Step(ref State state, global::System.ReadOnlySpan<{model.InputType}> input, global::System.Span<float> output)");
                w.Indent();
                w.Line($"=> global::LstmGen.Generated.{kernel}.Step(state.AsSpan(), input, output);");
                w.Outdent();
                w.Line();
            }
            EmitStruct(w, model);
        }

        private static void EmitStruct(IndentedWriter w, ModelSpec model)
        {
            int total = StateLayout.TotalFloats(model);
            w.Line("/// <summary>");
            w.Line(StateLayout.For(model).Exists(entry => entry.IsHistory)
                ? "/// The state of every layer (h, and c for LSTM; a causal Conv1D's last input rows) in fixed storage inside the struct: no heap."
                : "/// The recurrent state of every layer (h, and c for LSTM) in fixed storage inside the struct: no heap.");
            w.Line("/// <c>default(State)</c> is Keras's zero initial state. Read or write each part through its span.");
            w.Line("/// </summary>");
            w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{ModelEmitter.Version}\")]");
            using (w.Block("public struct State"))
            {
                w.Line("/// <summary>Floats of state in all: every layer's h, then c for an LSTM, layer after layer.</summary>");
                w.Line($"public const int Length = {IntLiteral.Format(total)};");
                w.Line();
                w.Line("private Storage _values;");
                w.Line();
                foreach (StateLayout.Entry entry in StateLayout.For(model))
                {
                    string what = entry.IsHistory ? "its last input rows, oldest first (zeros: the causal padding)" : entry.IsCell ? "cell state c" : "hidden state h (the layer's output)";
                    w.Line($"/// <summary>{CommentText.Xml(entry.Owner)}: {what}, {IntLiteral.Format(entry.Size)} float{(entry.Size == 1 ? "" : "s")}.</summary>");
                    w.Line("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
                    w.Line($"public global::System.Span<float> {entry.Property} => AsSpan().Slice({IntLiteral.Format(entry.Offset)}, {IntLiteral.Format(entry.Size)});");
                    w.Line();
                }
                w.Line("/// <summary>All of the state as one span of <see cref=\"Length\"/> floats.</summary>");
                w.Line("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
                w.Line("public global::System.Span<float> AsSpan() => _values;");
                w.Line();
                w.Line($"[global::System.Runtime.CompilerServices.InlineArray({IntLiteral.Format(total)})]");
                using (w.Block("private struct Storage"))
                {
                    w.Line("private float _element;");
                }
            }
        }
    }
}
