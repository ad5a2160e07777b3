using System.Globalization;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits the body of <c>Predict</c>: argument checks, state on the stack, one timestep loop per
    /// <see cref="ExecutionPlan.Stage"/> (or the loop fully unrolled), then the tail layers.
    /// </summary>
    internal sealed class PredictEmitter
    {
        /// <summary>Sequences up to this many floats live on the stack; longer ones come from ArrayPool.</summary>
        private const int StackBufferFloats = 4096;

        private readonly IndentedWriter _w;
        private readonly ModelSpec _model;
        private readonly ExecutionPlan _plan;
        private readonly bool _unroll;

        /// <summary>The timestep count in generated code: the constant when fixed, the local computed from the input otherwise.</summary>
        private readonly string _steps;

        public PredictEmitter(IndentedWriter writer, ModelSpec model, bool unroll)
        {
            _w = writer;
            _model = model;
            _plan = ExecutionPlan.For(model);
            _unroll = unroll && model.Timesteps is not null;
            _steps = model.Timesteps is null ? "timesteps" : "Timesteps";
        }

        public void Emit()
        {
            using (_w.Block("public static void Predict(ReadOnlySpan<float> input, Span<float> output)"))
            {
                EmitChecks();
                EmitState();
                EmitStages(0);
            }
        }

        private void EmitChecks()
        {
            if (_model.Timesteps is int fixedSteps)
            {
                using (_w.Block("if (input.Length != InputLength)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected {{InputLength}} input floats ([{fixedSteps} timesteps, {_model.Features} feature{(_model.Features == 1 ? "" : "s")}]) but got {{input.Length}}.\", nameof(input));");
                }
            }
            else
            {
                using (_w.Block("if (input.Length == 0 || input.Length % InputFeatures != 0)"))
                {
                    _w.Line($"throw new ArgumentException($\"Expected a non-zero multiple of {{InputFeatures}} input floats ([timesteps, {_model.Features} feature{(_model.Features == 1 ? "" : "s")}]) but got {{input.Length}}.\", nameof(input));");
                }
                _w.Line("int timesteps = input.Length / InputFeatures;");
            }
            string outputLength = !_model.OutputIsSequence ? "OutputUnits"
                : _model.Timesteps is null ? "timesteps * OutputUnits" : "Timesteps * OutputUnits";
            using (_w.Block($"if (output.Length < {outputLength})"))
            {
                _w.Line($"throw new ArgumentException($\"The output needs {{{outputLength}}} floats but has {{output.Length}}.\", nameof(output));");
            }
            using (_w.Block("if (input.Overlaps(output))"))
            {
                _w.Line("throw new ArgumentException(\"The input and output spans overlap; pass separate buffers.\", nameof(output));");
            }
            _w.Line();
        }

        private void EmitState()
        {
            _w.Line("// Recurrent state on the stack, starting from zero like Keras (cleared explicitly in case of SkipLocalsInit).");
            int maxGates = 0;
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                int n = i + 1;
                switch (_model.Layers[i])
                {
                    case LstmLayerSpec lstm:
                        _w.Line($"Span<float> h{n} = stackalloc float[{lstm.Units}];");
                        _w.Line($"h{n}.Clear();");
                        _w.Line($"Span<float> c{n} = stackalloc float[{lstm.Units}];");
                        _w.Line($"c{n}.Clear();");
                        if (lstm.GateWidth > maxGates) maxGates = lstm.GateWidth;
                        break;
                }
            }
            _w.Line("// Scratch: gate pre-activations (sized for the widest LSTM) and each feed-forward layer's output.");
            _w.Line($"Span<float> z = stackalloc float[{maxGates}];");
            for (int i = 0; i < _model.Layers.Count; i++)
            {
                LayerSpec layer = _model.Layers[i];
                if (layer is DenseLayerSpec or ActivationLayerSpec)
                {
                    _w.Line($"Span<float> a{i + 1} = stackalloc float[{layer.OutputSize}];");
                }
            }
            _w.Line();
        }

        /// <summary>Emits stage <paramref name="index"/> and, inside its buffer's scope, every later stage and the tail.</summary>
        private void EmitStages(int index)
        {
            ExecutionPlan.Stage stage = _plan.Stages[index];
            bool last = index == _plan.Stages.Count - 1;
            int outputWidth = _model.Layers[stage.Layers[stage.Layers.Count - 1]].OutputSize;
            string? buffer = last ? null : $"sequence{index + 2}";

            if (buffer is null)
            {
                EmitStage(index, stage, sink: null, sinkWidth: 0);
                EmitTail();
                return;
            }

            // The next stage goes backwards over this stage's whole output, so keep that output.
            _w.Line($"// Stage {index + 2} reads the output of stage {index + 1} backwards: buffer it ([timesteps, {outputWidth}]).");
            if (_model.Timesteps is int steps && steps * outputWidth <= StackBufferFloats)
            {
                _w.Line($"Span<float> {buffer} = stackalloc float[{steps * outputWidth}];");
                EmitStage(index, stage, buffer, outputWidth);
                EmitStages(index + 1);
                return;
            }
            _w.Line($"float[]? rented{index + 2} = {_steps} * {outputWidth} <= {StackBufferFloats} ? null : ArrayPool<float>.Shared.Rent({_steps} * {outputWidth});");
            _w.Line($"Span<float> {buffer} = rented{index + 2} is null ? stackalloc float[{StackBufferFloats}] : rented{index + 2};");
            using (_w.Block("try"))
            {
                EmitStage(index, stage, buffer, outputWidth);
                EmitStages(index + 1);
            }
            using (_w.Block("finally"))
            {
                _w.Line($"if (rented{index + 2} is not null) ArrayPool<float>.Shared.Return(rented{index + 2});");
            }
        }

        private void EmitStage(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            int first = stage.Layers[0] + 1, lastLayer = stage.Layers[stage.Layers.Count - 1] + 1;
            string layers = first == lastLayer ? $"layer {first}" : $"layers {first}-{lastLayer}";
            string direction = stage.ReadsBackwards ? "last timestep first (go_backwards)" : "first timestep first";
            string pace = _unroll ? "unrolled, one block per timestep" : "one timestep at a time";
            _w.Line($"// Stage {index + 1}: {layers}, {pace}, {direction}.");

            if (_unroll)
            {
                int steps = _model.Timesteps!.Value;
                for (int t = 0; t < steps; t++)
                {
                    int row = stage.ReadsBackwards ? steps - 1 - t : t;
                    using (_w.Block())
                    {
                        _w.Line($"// t = {IntLiteral.Format(t)}");
                        EmitStep(index, stage, IntLiteral.Format(t), IntLiteral.Format(row), sink, sinkWidth);
                    }
                }
            }
            else
            {
                using (_w.Block($"for (int t = 0; t < {_steps}; t++)"))
                {
                    EmitStep(index, stage, "t", stage.ReadsBackwards ? $"({_steps} - 1 - t)" : "t", sink, sinkWidth);
                }
            }
            _w.Line();
        }

        private void EmitStep(int index, ExecutionPlan.Stage stage, string t, string row, string? sink, int sinkWidth)
        {
            string source;
            if (index == 0)
            {
                source = $"input.Slice({Times(row, "InputFeatures")}, InputFeatures)";
            }
            else
            {
                int width = _model.Layers[stage.Layers[0]].InputSize;
                source = $"sequence{index + 1}.Slice({Times(row, IntLiteral.Format(width))}, {width})";
            }
            _w.Line($"ReadOnlySpan<float> x = {source};");

            string current = "x";
            foreach (int i in stage.Layers)
            {
                current = EmitLayerCall(i, current);
            }

            if (sink is not null)
            {
                _w.Line($"{current}.CopyTo({sink}.Slice({Times(t, IntLiteral.Format(sinkWidth))}, {sinkWidth}));");
            }
            else if (_model.OutputIsSequence)
            {
                _w.Line($"{current}.CopyTo(output.Slice({Times(t, "OutputUnits")}, OutputUnits));");
            }
        }

        private void EmitTail()
        {
            // After the loops, the many-to-one layer's state holds its output; the tail runs on that vector.
            string current = LastRecurrentState();
            if (_model.OutputIsSequence) return;
            if (_plan.Tail.Count > 0)
            {
                _w.Line("// Layers after the last many-to-one layer run once, on its final output.");
            }
            foreach (int i in _plan.Tail)
            {
                current = EmitLayerCall(i, current);
            }
            _w.Line($"{current}.CopyTo(output);");
        }

        private string LastRecurrentState()
        {
            for (int i = _model.Layers.Count - 1; i >= 0; i--)
            {
                if (_model.Layers[i] is LstmLayerSpec) return $"h{i + 1}";
            }
            return "x";
        }

        /// <summary>Emits the call for layer index <paramref name="i"/> on <paramref name="input"/>; returns the name of its output.</summary>
        private string EmitLayerCall(int i, string input)
        {
            int n = i + 1;
            switch (_model.Layers[i])
            {
                case LstmLayerSpec:
                    _w.Line($"Layer{n}({input}, h{n}, c{n}, z);");
                    return $"h{n}";
                case DenseLayerSpec:
                case ActivationLayerSpec:
                    _w.Line($"Layer{n}({input}, a{n});");
                    return $"a{n}";
                default:
                    _w.Line($"// Layer {n}: {CommentText.Line(LayerEmitter.Describe(_model.Layers[i]))}.");
                    return input;
            }
        }

        private static string Times(string index, string width)
        {
            if (int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int b))
            {
                return IntLiteral.Format(a * b);
            }
            return width == "1" ? index : $"{index} * {width}";
        }
    }
}
