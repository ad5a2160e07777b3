using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits <c>Step</c>: one timestep through every layer, from and into the caller's State (causal models only;
    /// see <see cref="LayerSpec.WhyNotCausal"/>). Layers after a many-to-one layer run on its current output, which is
    /// what Predict gives for the sequence so far.
    /// </summary>
    internal static class StepEmitter
    {
        public static void Emit(IndentedWriter w, ModelSpec model, ModelPlan plan)
        {
            var buffers = new PredictBuffers(w, model, plan);
            var calls = new LayerCallEmitter(w, model);
            // Large LSTMs read both kernels at every call: they walk them in alternating directions (Layer{n}Single).
            bool alternates = !model.HasMask && model.Layers.Any(l => l is LstmLayerSpec lstm && LayerEmitter.OnePassStep(w, lstm));
            if (alternates)
            {
                w.Line("/// <summary>The direction of the large LSTMs' walk over their weights in this thread's next Step call.</summary>");
                w.Line("[global::System.ThreadStatic]");
                w.Line("private static bool s_stepReverse;");
                w.Line();
            }
            using (w.Method($"public static void Step(Span<float> state, ReadOnlySpan<{model.InputType}> input, Span<float> output)"))
            {
                ArgumentChecksEmitter.Step(w, model);
                buffers.EmitStateSlices();
                // Small LSTMs that Predict runs in registers take the same cells here.
                Dictionary<int, bool> inRegisters = model.HasMask ? new Dictionary<int, bool>() : RegisterStageEmitter.Layers(model, plan.Execution);
                // When every recurrent layer has cells, only the fallback branches use the scratch: each declares it
                // there rather than every call clearing it for nothing.
                bool scratchInFallback = Enumerable.Range(0, model.Layers.Count).All(i => model.Layers[i] is not RecurrentLayerSpec || inRegisters.ContainsKey(i)
                    || (!model.HasMask && model.Layers[i] is GruLayerSpec gru && GruRegisterCellEmitter.HasCells(w, gru)));
                var declared = new List<PredictBuffers.Buffer>();
                if (!scratchInFallback) declared.Add(PredictBuffers.Scratch(plan.Blocks.ScratchFloats));
                declared.AddRange(buffers.LayerOutputs());
                buffers.Emit(declared, pooled: false);
                if (inRegisters.Any(l => RegisterStageEmitter.StepNeedsPadding((LstmLayerSpec)model.Layers[l.Key], l.Value)))
                {
                    w.Line("Span<float> padded = stackalloc float[32];");
                    w.Line("padded.Clear();");
                }
                if (alternates) w.Line("bool reverse = s_stepReverse = !s_stepReverse;");
                string current = "input";
                for (int i = 0; i < model.Layers.Count; i++)
                {
                    if (alternates && model.Layers[i] is LstmLayerSpec single && LayerEmitter.OnePassStep(w, single) && !inRegisters.ContainsKey(i))
                    {
                        long bytes = (single.InputSize + single.Units) * 16L * single.Units;
                        w.Line($"// Where this core's L2 cannot hold both kernels ({bytes / 1024} KB), walk them a column pass at a time, starting where the last call ended.");
                        using (w.Block($"if (global::LstmGen.Runtime.CacheSizes.L2Bytes is > 0 and <= {bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)})"))
                        {
                            w.Line($"Layer{i + 1}Single({current}, z, h{i + 1}, c{i + 1}, reverse);");
                        }
                        using (w.Block("else"))
                        {
                            calls.Emit(i, current, "0", null);
                        }
                        current = $"h{i + 1}";
                        continue;
                    }
                    if (inRegisters.TryGetValue(i, out bool wide))
                    {
                        RegisterStageEmitter.EmitStepCall(w, i + 1, (LstmLayerSpec)model.Layers[i], wide, current, "padded", scratchInFallback ? plan.Blocks.ScratchFloats : null);
                        current = $"h{i + 1}";
                        continue;
                    }
                    if (scratchInFallback && model.Layers[i] is GruLayerSpec cells
                        && GruRegisterCellEmitter.EmitStepCall(w, i + 1, cells, current, plan.Blocks.ScratchFloats))
                    {
                        current = $"h{i + 1}";
                        continue;
                    }
                    current = calls.Emit(i, current, "0", model.HasMask ? "0" : null);
                }
                w.Line($"{current}.Slice(0, OutputUnits).CopyTo(output);");
            }
        }
    }
}
