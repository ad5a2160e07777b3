using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits a Keras <c>Bidirectional</c> layer: its two directions are ordinary recurrent layer methods labelled
    /// <c>{n}Forward</c> and <c>{n}Backward</c> with their own state (<c>h{n}Forward</c>, ...), and its stage of
    /// <c>Predict</c> runs the forward direction over the whole source sequence, then the backward one.
    /// With return_sequences the forward direction writes output row k at its processing step k, and the backward
    /// direction merges into row T-1-k (Keras reverses the backward layer's output back to input time order);
    /// without it, the two final states are merged into <c>y{n}</c>.
    /// </summary>
    internal static class BidirectionalEmitter
    {
        /// <param name="blocks">Predict runs the directions in blocks of timesteps (not unrolled): GRU directions then also get their block projection.</param>
        public static void EmitMethods(IndentedWriter w, int number, BidirectionalLayerSpec layer, bool blocks)
        {
            foreach (bool forward in new[] { true, false })
            {
                RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
                LayerEmitter.EmitRecurrentMethod(w, Label(number, forward), direction);
                if (blocks && direction is GruLayerSpec gru && GruEmitter.Projects(w, gru)) GruEmitter.EmitProjection(w, Label(number, forward), gru, withTeam: false);
            }
            if (layer.MergeMode == MergeMode.Concat) return;

            int u = layer.Forward.Units;
            string formula = layer.MergeMode switch
            {
                MergeMode.Sum => "y[i] + backward[i]",
                MergeMode.Average => "(y[i] + backward[i]) * 0.5f",
                _ => "y[i] * backward[i]",
            };
            string text = layer.MergeMode switch
            {
                MergeMode.Sum => "y = y + backward",
                MergeMode.Average => "y = (y + backward) / 2 (tfjs: 0.5 · (y + backward), the same float)",
                _ => "y = y · backward",
            };
            w.Line($"/// <summary>Layer {number}, Bidirectional merge_mode {MergeModeText.KerasName(layer.MergeMode)}: {text}, in place.</summary>");
            using (w.Method($"private static void Layer{number}Merge(Span<float> y, ReadOnlySpan<float> backward)"))
            {
                w.Line($"y = y.Slice(0, {u});");
                w.Line($"backward = backward.Slice(0, {u});");
                using (w.Block("for (int i = 0; i < y.Length; i++)"))
                {
                    w.Line($"y[i] = {formula};");
                }
            }
            w.Line();
        }

        public static void EmitWeights(IndentedWriter w, int number, BidirectionalLayerSpec layer)
        {
            string owner = $"Layer {number}, Bidirectional '{layer.Name}'";
            LayerEmitter.EmitRecurrentWeights(w, Label(number, forward: true), $"{owner}, forward {layer.Forward.ClassName} '{layer.Forward.Name}'", layer.Forward);
            LayerEmitter.EmitRecurrentWeights(w, Label(number, forward: false), $"{owner}, backward {layer.Backward.ClassName} '{layer.Backward.Name}'", layer.Backward);
        }

        /// <summary>The name of the layer's output after its stage: <c>y{n}</c> (only without return_sequences).</summary>
        public static string Output(int number) => $"y{number}";

        /// <summary>
        /// Emits the stage: the forward direction over all timesteps, then the backward one, each reading
        /// <paramref name="source"/> ([steps, <paramref name="width"/>]) in its own order. With a
        /// <paramref name="sink"/> (return_sequences) the rows go there, merged; otherwise into <c>y{n}</c>.
        /// </summary>
        /// <param name="w">The writer.</param>
        /// <param name="number">The layer's 1-based number.</param>
        /// <param name="layer">The layer.</param>
        /// <param name="source">The source sequence variable.</param>
        /// <param name="width">Floats per source row (in generated code).</param>
        /// <param name="steps">The timestep count in generated code.</param>
        /// <param name="unrolledSteps">The fixed timestep count when the loop is unrolled, else null (blocked loop).</param>
        /// <param name="sink">The sequence the merged rows go to, or null without return_sequences.</param>
        /// <param name="masked">Whether input timesteps can be masked: each direction then skips a masked source row.</param>
        /// <param name="gruProjection">GRU directions compute their input parts per block (a chain's Predict, which emits their projections; a graph's steps them row by row).</param>
        public static void EmitStage(IndentedWriter w, int number, BidirectionalLayerSpec layer, string source, string width, string steps, int? unrolledSteps, string? sink, bool masked = false, bool gruProjection = false)
        {
            foreach (bool forward in new[] { true, false })
            {
                RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
                string reads = direction.GoBackwards ? "reads the last timestep first" : "reads the first timestep first";
                string writes = sink is null ? "keeps its last output"
                    : forward ? "writes output row k at step k" : "writes output row T-1-k at step k (Keras reverses the backward output)";
                w.Line($"// {(forward ? "Forward" : "Backward")} direction ({direction.ClassName} '{direction.Name}'): {reads}, {writes}.");
                if (unrolledSteps is int t)
                {
                    EmitUnrolled(w, number, layer, forward, source, width, t, sink, masked);
                }
                else
                {
                    EmitBlocks(w, number, layer, forward, source, width, steps, sink, masked, gruProjection);
                }
            }
            if (sink is null)
            {
                string y = Output(number), hf = "h" + Label(number, true), hb = "h" + Label(number, false);
                w.Line($"// Merge the final outputs ({MergeModeText.KerasName(layer.MergeMode)}).");
                if (layer.MergeMode == MergeMode.Concat)
                {
                    w.Line($"{hf}.CopyTo({y}.Slice(0, {layer.Forward.Units}));");
                    w.Line($"{hb}.CopyTo({y}.Slice({layer.Forward.Units}, {layer.Backward.Units}));");
                }
                else
                {
                    w.Line($"{hf}.CopyTo({y});");
                    w.Line($"Layer{number}Merge({y}, {hb});");
                }
            }
        }

        private static void EmitBlocks(IndentedWriter w, int number, BidirectionalLayerSpec layer, bool forward, string source, string width, string steps, string? sink, bool masked, bool gruProjection)
        {
            RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
            string label = Label(number, forward);
            using (w.Block($"for (int t0 = 0; t0 < {steps}; t0 += BlockSteps)"))
            {
                w.Line($"int count = Math.Min(BlockSteps, {steps} - t0);");
                string start = direction.GoBackwards ? $"({steps} - t0 - count)" : "t0";
                w.Line($"ReadOnlySpan<float> block = {source}.Slice({start} * {width}, count * {width});");
                string row = direction.GoBackwards ? "(count - 1 - r)" : "r";
                string perRow = $"Layer{label}(block.Slice({row} * {width}, {width}), h{label}, z);";
                switch (direction)
                {
                    case LstmLayerSpec l:
                        w.Line($"Layer{label}Project(block, count, zs);");
                        EmitRows(w, number, layer, forward, steps, sink, masked, $"Layer{label}Step(zs.Slice({row} * {l.GateWidth}, {l.GateWidth}), h{label}, c{label}{(LayerEmitter.AlternatesPanels(l) ? ", ((t0 + r) & 1) != 0" : string.Empty)});");
                        break;
                    case GruLayerSpec g when gruProjection && GruEmitter.Projects(w, g):
                        // The block's input parts first (as an LSTM's), except where the GRU's register cells run.
                        int cellBits = Planning.RegisterStages.GruCellBits(g, w.DebugBuild);
                        string projected = GruEmitter.StepCall(w, label, g, row, "count", "((t0 + r) & 1) != 0", team: false);
                        if (cellBits == 0)
                        {
                            w.Line($"Layer{label}Project(block, count, zs);");
                            EmitRows(w, number, layer, forward, steps, sink, masked, projected);
                            break;
                        }
                        using (w.Block($"if (Vector{cellBits}.IsHardwareAccelerated)"))
                        {
                            EmitRows(w, number, layer, forward, steps, sink, masked, perRow);
                        }
                        using (w.Block("else"))
                        {
                            w.Line($"Layer{label}Project(block, count, zs);");
                            EmitRows(w, number, layer, forward, steps, sink, masked, projected);
                        }
                        break;
                    default:
                        EmitRows(w, number, layer, forward, steps, sink, masked, perRow);
                        break;
                }
            }
        }

        /// <summary>The loop over a block's rows: <paramref name="step"/> on each (skipped where masked), then its output written or merged.</summary>
        private static void EmitRows(IndentedWriter w, int number, BidirectionalLayerSpec layer, bool forward, string steps, string? sink, bool masked, string step)
        {
            RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
            using (w.Block("for (int r = 0; r < count; r++)"))
            {
                EmitMaskedStep(w, direction, step, masked ? (direction.GoBackwards ? $"{steps} - 1 - t0 - r" : "t0 + r") : null);
                if (sink is not null)
                {
                    EmitWrite(w, number, layer, forward, sink, forward ? "(t0 + r)" : $"({steps} - 1 - t0 - r)", masked);
                }
            }
        }

        private static void EmitUnrolled(IndentedWriter w, int number, BidirectionalLayerSpec layer, bool forward, string source, string width, int steps, string? sink, bool masked)
        {
            RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
            string label = Label(number, forward);
            for (int k = 0; k < steps; k++)
            {
                int row = direction.GoBackwards ? steps - 1 - k : k;
                using (w.Block())
                {
                    w.Line($"// step {IntLiteral.Format(k)}, input row {IntLiteral.Format(row)}");
                    w.Line($"ReadOnlySpan<float> x = {source}.Slice({IntLiteral.Format(row)} * {width}, {width});");
                    string step = direction is LstmLayerSpec
                        ? $"Layer{label}Project(x, 1, z); Layer{label}Step(z, h{label}, c{label});"
                        : $"Layer{label}(x, h{label}, z);";
                    EmitMaskedStep(w, direction, step, masked ? IntLiteral.Format(row) : null);
                    if (sink is not null)
                    {
                        EmitWrite(w, number, layer, forward, sink, IntLiteral.Format(forward ? k : steps - 1 - k), masked);
                    }
                }
            }
        }

        /// <summary>
        /// Emits one step of a direction; with <paramref name="maskRow"/> (the source row it reads) the step is
        /// skipped when that row is masked, and a local <c>masked</c> says so to <see cref="EmitWrite"/>.
        /// </summary>
        private static void EmitMaskedStep(IndentedWriter w, RecurrentLayerSpec direction, string step, string? maskRow)
        {
            if (maskRow is null)
            {
                foreach (string statement in step.Split(new[] { "; " }, System.StringSplitOptions.None))
                {
                    w.Line(statement.EndsWith(";", System.StringComparison.Ordinal) ? statement : statement + ";");
                }
                return;
            }
            w.Line($"bool masked = Masked(input, {maskRow});");
            w.Line(direction.ZeroMaskedOutput
                ? "// A masked timestep keeps h (and c) and outputs zeros (Keras: zero_output_for_mask inside Bidirectional)."
                : "// A masked timestep keeps h (and c) and outputs the previous h (Keras without zero_output_for_mask, tfjs).");
            w.Line($"if (!masked) {{ {step} }}");
        }

        /// <summary>
        /// Writes (forward) or merges (backward) the direction's h into output row <paramref name="outputRow"/>; a
        /// direction that outputs zeros at masked timesteps writes or merges zeros there (Keras merges the zeroed
        /// outputs like any others).
        /// </summary>
        private static void EmitWrite(IndentedWriter w, int number, BidirectionalLayerSpec layer, bool forward, string sink, string outputRow, bool masked)
        {
            RecurrentLayerSpec direction = forward ? layer.Forward : layer.Backward;
            if (masked && direction.ZeroMaskedOutput)
            {
                int units = direction.Units;
                using (w.Block("if (masked)"))
                {
                    string rowStart0 = $"{outputRow} * {layer.OutputSize}";
                    if (forward || layer.MergeMode == MergeMode.Concat)
                    {
                        string offset = forward ? string.Empty : $" + {layer.Forward.Units}";
                        w.Line($"{sink}.Slice({rowStart0}{offset}, {units}).Clear();");
                    }
                    else
                    {
                        w.Line($"z.Slice(0, {units}).Clear();");
                        w.Line($"Layer{number}Merge({sink}.Slice({rowStart0}, {layer.OutputSize}), z);");
                    }
                }
                using (w.Block("else"))
                {
                    EmitWrite(w, number, layer, forward, sink, outputRow, masked: false);
                }
                return;
            }
            int outputWidth = layer.OutputSize;
            string h = "h" + Label(number, forward);
            string rowStart = $"{outputRow} * {outputWidth}";
            if (forward)
            {
                w.Line($"{h}.CopyTo({sink}.Slice({rowStart}, {layer.Forward.Units}));");
            }
            else if (layer.MergeMode == MergeMode.Concat)
            {
                w.Line($"{h}.CopyTo({sink}.Slice({rowStart} + {layer.Forward.Units}, {layer.Backward.Units}));");
            }
            else
            {
                w.Line($"Layer{number}Merge({sink}.Slice({rowStart}, {outputWidth}), {h});");
            }
        }

        public static string Label(int number, bool forward) => Planning.StateLayout.DirectionLabel(number, forward);
    }
}
