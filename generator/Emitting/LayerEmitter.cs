using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Emits one method per computing layer (one timestep, or the single tail vector) and that layer's
    /// weights. Methods are named <c>Layer{n}</c> after the layer's 1-based position in the model.
    /// </summary>
    internal static class LayerEmitter
    {
        /// <param name="blocks">Predict runs the layer in blocks of timesteps (a chain, not unrolled): a GRU, or a Bidirectional GRU's directions, then also get their block projection.</param>
        public static void EmitMethod(IndentedWriter w, int number, LayerSpec layer, bool blocks)
        {
            switch (layer)
            {
                case RecurrentLayerSpec recurrent:
                    string label = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    EmitRecurrentMethod(w, label, recurrent);
                    if (recurrent is LstmLayerSpec lstm && FusedStepEmitter.Applies(w, lstm)) FusedStepEmitter.Emit(w, label, lstm);
                    if (blocks && recurrent is GruLayerSpec gru && GruEmitter.Projects(w, gru)) GruEmitter.EmitProjection(w, label, gru, withTeam: true);
                    break;
                case BidirectionalLayerSpec bidirectional:
                    BidirectionalEmitter.EmitMethods(w, number, bidirectional, blocks);
                    break;
                case DenseLayerSpec dense:
                    EmitDense(w, number, dense);
                    break;
                case ActivationLayerSpec activation:
                    EmitActivation(w, number, activation);
                    break;
                case EmbeddingLayerSpec embedding:
                    EmitEmbedding(w, number, embedding);
                    break;
                case FlattenLayerSpec { InputIsSequence: true } flatten:
                    EmitFlatten(w, number, flatten);
                    break;
                case BatchNormalizationLayerSpec or LayerNormalizationLayerSpec:
                    NormalizationEmitter.EmitMethod(w, number, layer);
                    break;
                case SequenceLayerSpec sequence:
                    SequenceLayerEmitter.EmitMethod(w, number, sequence);
                    break;
                case MergeLayerSpec merge:
                    MergeEmitter.EmitMethod(w, number, merge);
                    break;
            }
        }

        /// <summary>Flatten over the timesteps: each timestep writes its row into the one output vector.</summary>
        private static void EmitFlatten(IndentedWriter w, int number, FlattenLayerSpec f)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(f.Description)}: writes timestep <paramref name=\"t\"/>'s row into y.</summary>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y, int t)"))
            {
                if (f.ChannelsFirst)
                {
                    w.Line($"// Keras transposes [timesteps, features] to [features, timesteps] first: feature j of row t goes to j × {f.Steps} + t.");
                    w.Line($"x = x.Slice(0, {f.InputSize});");
                    using (w.Block($"for (int j = 0; j < {f.InputSize}; j++)"))
                    {
                        w.Line($"y[(j * {f.Steps}) + t] = x[j];");
                    }
                }
                else
                {
                    w.Line($"x.Slice(0, {f.InputSize}).CopyTo(y.Slice(t * {f.InputSize}, {f.InputSize}));");
                }
            }
            w.Line();
        }

        /// <summary>
        /// The methods of a recurrent layer labelled <paramref name="label"/> (its number, or e.g. <c>2Forward</c>
        /// for a direction of a Bidirectional layer): <c>Layer{label}Project</c> and <c>Layer{label}Step</c> for an
        /// LSTM, <c>Layer{label}</c> for the others.
        /// </summary>
        public static void EmitRecurrentMethod(IndentedWriter w, string label, RecurrentLayerSpec layer)
        {
            switch (layer)
            {
                case LstmLayerSpec lstm:
                    EmitLstm(w, label, lstm);
                    break;
                case GruLayerSpec gru:
                    GruEmitter.EmitMethod(w, label, gru);
                    break;
                case SimpleRnnLayerSpec rnn:
                    EmitSimpleRnn(w, label, rnn);
                    break;
            }
        }

        public static void EmitWeights(IndentedWriter w, int number, LayerSpec layer)
        {
            if (layer is BidirectionalLayerSpec bidirectional)
            {
                BidirectionalEmitter.EmitWeights(w, number, bidirectional);
                return;
            }
            string owner = $"Layer {number}, {layer.ClassName} '{layer.Name}'";
            if (layer is RecurrentLayerSpec recurrent)
            {
                EmitRecurrentWeights(w, number.ToString(System.Globalization.CultureInfo.InvariantCulture), owner, recurrent);
                return;
            }
            if (layer is EmbeddingLayerSpec embedding)
            {
                WeightsEmitter.Emit(w, $"Layer{number}Embeddings", owner + ": embeddings (token id × output_dim)", embedding.Embeddings, panels: false);
                w.Line();
                return;
            }
            if (layer is DenseLayerSpec dense)
            {
                WeightsEmitter.Emit(w, $"Layer{number}Kernel", owner + ": kernel (input × units)", dense.Kernel);
                if (dense.Bias is not null)
                {
                    w.Line();
                    WeightsEmitter.Emit(w, $"Layer{number}Bias", owner + ": bias", dense.Bias);
                }
                w.Line();
                return;
            }
            if (layer is SequenceLayerSpec sequence)
            {
                SequenceLayerEmitter.EmitWeights(w, number, owner, sequence);
                return;
            }
            NormalizationEmitter.EmitWeights(w, number, owner, layer);
        }

        /// <summary>The weights of a recurrent layer labelled <paramref name="number"/> (e.g. <c>2</c> or <c>2Forward</c>), described as belonging to <paramref name="owner"/>.</summary>
        public static void EmitRecurrentWeights(IndentedWriter w, string number, string owner, RecurrentLayerSpec layer)
        {
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
                case GruLayerSpec gru:
                    GruEmitter.EmitWeights(w, number, owner, gru);
                    break;
                case SimpleRnnLayerSpec rnn:
                    WeightsEmitter.Emit(w, $"Layer{number}Kernel", owner + ": kernel (input × units)", rnn.Kernel);
                    w.Line();
                    WeightsEmitter.Emit(w, $"Layer{number}RecurrentKernel", owner + ": recurrent kernel (units × units)", rnn.RecurrentKernel);
                    if (rnn.Bias is not null)
                    {
                        w.Line();
                        WeightsEmitter.Emit(w, $"Layer{number}Bias", owner + ": bias", rnn.Bias);
                    }
                    w.Line();
                    break;
            }
        }

        private static void EmitLstm(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = 4 * u;
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(l.Description)}: the input part of the gates for <paramref name=\"rows\"/> timesteps at once.</summary>");
            w.Line($"/// <remarks>zs[r] = xs[r]·W + b for each row r, W [{l.InputSize}, {gates}], gates i, f, c, o. The recurrent part follows per timestep in <see cref=\"Layer{number}Step\"/>.</remarks>");
            using (w.Method($"private static void Layer{number}Project(ReadOnlySpan<float> xs, int rows, Span<float> zs)"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"xs = xs.Slice(0, rows * {l.InputSize});");
                w.Line($"zs = zs.Slice(0, rows * {gates});");
                GemmEmitter.Emit(w, "zs", "xs", "rows", l.InputSize, gates, l.Bias is null ? null : $"Layer{number}Bias", $"Layer{number}Kernel");
            }
            w.Line();
            bool alternates = AlternatesPanels(l);
            w.Line($"/// <summary>Layer {number}, one timestep: z holds x·W + b; adds h·U, then updates c and h.</summary>");
            w.Line(alternates
                ? "/// <remarks>Gates i, f, c, o = x·W + h·U + b; c = f * c + i * activation(c̃); h = o * activation(c). With <paramref name=\"reverse\"/> the column passes over U run last first (callers alternate it per timestep, so the passes read last, still in cache, come first).</remarks>"
                : "/// <remarks>Gates i, f, c, o = x·W + h·U + b; c = f * c + i * activation(c̃); h = o * activation(c).</remarks>");
            // A matrix that outgrows a core's caches can be shared with the threads of a CoreTeam (optimized builds).
            bool team = !w.DebugBuild && TeamEmitter.Splits(l);
            if (team) w.Line("/// <param name=\"team\">Threads that compute parts of h·U, or null for this thread alone (the same numbers).</param>");
            using (w.Method($"private static void Layer{number}Step(Span<float> z, Span<float> h, Span<float> c{(alternates ? ", bool reverse = false" : "")}{(team ? ", global::LstmGen.CoreTeam? team = null" : "")})"))
            {
                w.Line($"z = z.Slice(0, {gates});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"c = c.Slice(0, {u});");
                w.Line();
                w.Line($"// z += h·U, U [{u}, {gates}] (the accumulators start from z itself).");
                using (w.Block(team ? "if (team is null)" : null))
                {
                    GemvEmitter.Emit(w, "z", gates, "z", new[]
                    {
                        new GemvTerm("h", $"Layer{number}RecurrentKernel", u),
                    }, alternates ? "reverse" : null);
                }
                if (team)
                {
                    using (w.Block("else"))
                    {
                        TeamEmitter.EmitTeamProduct(w, number, l);
                    }
                }
                w.Line();
                w.Line($"// c = {ActivationText.ShortName(l.RecurrentActivation)}(f) * c + {ActivationText.ShortName(l.RecurrentActivation)}(i) * {ActivationText.ShortName(l.Activation)}(c̃); h = {ActivationText.ShortName(l.RecurrentActivation)}(o) * {ActivationText.ShortName(l.Activation)}(c), one fused pass over the units.");
                w.Line($"LstmCell.Update<{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}>(z, c, h);");
            }
            w.Line();
            if (team) TeamEmitter.EmitColumns(w, number, l);
            if (OnePassStep(w, l)) EmitSingle(w, number, l);
        }

        /// <summary>
        /// Whether the LSTM gets <c>Layer{n}Single</c> for Step: optimized builds, and an input kernel and recurrent
        /// kernel that together (both read at every call) may outgrow a core's L2 (Step checks the running core's).
        /// </summary>
        public static bool OnePassStep(IndentedWriter w, LstmLayerSpec lstm)
            => !w.DebugBuild && (lstm.InputSize + lstm.Units) * 4L * lstm.Units >= MemoryBudget.SmallestL2Floats && !FusedStepEmitter.Applies(w, lstm);

        /// <summary>
        /// <c>Layer{n}Single</c>: one timestep from the input row, z = b + x·W + h·U in one walk over the column passes,
        /// both matrices per pass, then the cell. Project then Step walk W, then U, in the same direction at every call,
        /// so each call evicts what it needs next; here Step alternates the direction per call and starts with the
        /// passes it read last. The same sums in the same order (bias, each input, each unit of h).
        /// </summary>
        private static void EmitSingle(IndentedWriter w, string number, LstmLayerSpec l)
        {
            int u = l.Units, gates = 4 * u;
            w.Line($"/// <summary>Layer {number}, one timestep from its input row: z = b + x·W + h·U column pass by column pass, then updates c and h.</summary>");
            w.Line($"/// <remarks>The same sums in the same order as <see cref=\"Layer{number}Project\"/> then <see cref=\"Layer{number}Step\"/>. With <paramref name=\"reverse\"/> the passes run last first (Step alternates it per call, so the weights read last, still in cache, come first).</remarks>");
            using (w.Method($"private static void Layer{number}Single(ReadOnlySpan<float> x, Span<float> z, Span<float> h, Span<float> c, bool reverse)"))
            {
                w.Line($"x = x.Slice(0, {l.InputSize});");
                w.Line($"z = z.Slice(0, {gates});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"c = c.Slice(0, {u});");
                w.Line();
                w.Line($"// z = b + x·W + h·U, W [{l.InputSize}, {gates}], U [{u}, {gates}].");
                using (w.Block())
                {
                    GemvEmitter.Emit(w, "z", gates, l.Bias is null ? null : $"Layer{number}Bias", new[]
                    {
                        new GemvTerm("x", $"Layer{number}Kernel", l.InputSize),
                        new GemvTerm("h", $"Layer{number}RecurrentKernel", u),
                    }, "reverse");
                }
                w.Line();
                w.Line($"LstmCell.Update<{ActivationEmitter.TypeName(l.RecurrentActivation)}, {ActivationEmitter.TypeName(l.Activation)}>(z, c, h);");
            }
            w.Line();
        }

        /// <summary>
        /// Whether the LSTM's recurrent matrix is large enough (64 KB and more: larger than a core's L1 data cache,
        /// 32 to 48 KB today) that the cache cannot be trusted to keep it between timesteps, so its Step takes a flag
        /// to walk the matrix in alternating directions: the panels read last, still cached, come first.
        /// </summary>
        public static bool AlternatesPanels(LstmLayerSpec lstm) => lstm.RecurrentKernel.Length >= MemoryBudget.LargerThanL1Floats;

        private static void EmitSimpleRnn(IndentedWriter w, string number, SimpleRnnLayerSpec r)
        {
            int u = r.Units;
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(r.Description)}. One timestep: reads x and the previous h; writes the new h.</summary>");
            w.Line("/// <remarks>h = activation(x·W + h·U + b).</remarks>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> h, Span<float> z)"))
            {
                w.Line("// Fix every length up front: one bounds check each, none in the loops below.");
                w.Line($"x = x.Slice(0, {r.InputSize});");
                w.Line($"h = h.Slice(0, {u});");
                w.Line($"z = z.Slice(0, {u});");
                w.Line();
                w.Line($"// Pre-activation z = x·W + h·U + b, W [{r.InputSize}, {u}], U [{u}, {u}]; h is read until the product is complete.");
                using (w.Block())
                {
                    GemvEmitter.Emit(w, "z", u, r.Bias is null ? null : $"Layer{number}Bias", new[]
                    {
                        new GemvTerm("x", $"Layer{number}Kernel", r.InputSize),
                        new GemvTerm("h", $"Layer{number}RecurrentKernel", u),
                    });
                }
                w.Line();
                w.Line($"// h = {ActivationText.ShortName(r.Activation)}(z).");
                ActivationEmitter.Emit(w, r.Activation, "z");
                w.Line("z.CopyTo(h);");
            }
            w.Line();
        }

        private static void EmitDense(IndentedWriter w, int number, DenseLayerSpec d)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(d.Description)}: y = activation(x·W + b), W [{d.InputSize}, {d.Units}].</summary>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
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

        private static void EmitEmbedding(IndentedWriter w, int number, EmbeddingLayerSpec e)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(e.Description)}: y = row x[0] of the embeddings (Predict and Step checked the id).</summary>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<int> x, Span<float> y)"))
            {
                w.Line($"Layer{number}Embeddings.Slice(x[0] * {e.OutputDim}, {e.OutputDim}).CopyTo(y);");
            }
            w.Line();
        }

        private static void EmitActivation(IndentedWriter w, int number, ActivationLayerSpec a)
        {
            w.Line($"/// <summary>Layer {number}, {CommentText.Xml(a.Description)}.</summary>");
            using (w.Method($"private static void Layer{number}(ReadOnlySpan<float> x, Span<float> y)"))
            {
                w.Line($"x.Slice(0, {a.InputSize}).CopyTo(y);");
                ActivationEmitter.Emit(w, a.Activation, $"y.Slice(0, {a.InputSize})");
            }
            w.Line();
        }
    }
}
