using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// <c>Layer{n}Cell{bits}</c>: a whole GRU timestep in vector registers, for layers of a few vectors of units. The
    /// general form stores z, r and the candidate's two parts to scratch and runs <c>GruCell.Reset</c> and
    /// <c>GruCell.Update</c> over spans; for a small layer that round trip through memory and the span loops is a
    /// fifth of a timestep (GRU(8) Step: 61 ns, 49 ns in registers on Zen 5). Each gate (z, r, the candidate's input
    /// part, its recurrent part) is one or two vectors; every lane takes the operations of the general form in the
    /// same order (the bias, each input, each unit of h as fused multiply-adds, then the same activations and
    /// products), so Predict, Step and PredictBatch keep agreeing bit for bit.
    /// </summary>
    internal static class GruRegisterCellEmitter
    {
        /// <summary>At most this many vectors per gate: four gates of two keep eight accumulators in registers.</summary>
        private const int MaxVectorsPerGate = 2;

        /// <summary>One vector of a gate: its type and first unit.</summary>
        private readonly record struct Chunk(string Type, int Offset);

        /// <summary>
        /// The cells the layer gets, widest first: for each width the hardware may have, the vectors one gate takes
        /// (the widest that fit, then narrower ones), where they are few enough; a width whose vectors are those of
        /// the next narrower one shares that one's cell. Empty in Debug builds (the JIT does not optimize them), for
        /// units not a multiple of 4 and for activations without vector forms.
        /// </summary>
        private static List<(string Type, int Bits, List<Chunk> Chunks)> Tiers(IndentedWriter w, GruLayerSpec g)
        {
            var tiers = new List<(string Type, int Bits, List<Chunk> Chunks)>();
            if (RegisterStages.GruCellBits(g, w.DebugBuild) == 0)
            {
                return tiers;
            }
            foreach ((string tierType, int maxLanes, int bits) in VectorWidths.WidestFirst)
            {
                var chunks = new List<Chunk>();
                int offset = 0;
                foreach ((string type, int lanes, _) in VectorWidths.WidestFirst.Where(x => x.Lanes <= maxLanes))
                {
                    for (; g.Units - offset >= lanes; offset += lanes) chunks.Add(new Chunk(type, offset));
                }
                if (chunks.Count <= MaxVectorsPerGate) tiers.Add((tierType, bits, chunks));
            }
            // A wider tier with the same vectors as the next is covered by that one's check (Vector256 is accelerated
            // wherever Vector512 is).
            for (int t = tiers.Count - 2; t >= 0; t--)
            {
                if (tiers[t].Bits == 2 * tiers[t + 1].Bits && tiers[t].Chunks.SequenceEqual(tiers[t + 1].Chunks)) tiers.RemoveAt(t);
            }
            return tiers;
        }

        /// <summary>
        /// The start of <c>Layer{n}</c>'s body after its spans are sliced: on each width that has a cell, the cell and
        /// return; what follows is the general form, for the other widths and for hardware without vectors.
        /// </summary>
        public static void EmitDispatch(IndentedWriter w, string prefix, GruLayerSpec g)
        {
            var tiers = Tiers(w, g);
            if (tiers.Count == 0) return;
            w.Line("// The whole timestep in vector registers where the units fill a few vectors (the same operations on every lane as below).");
            foreach ((string type, int bits, _) in tiers)
            {
                using (w.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    w.Line($"{prefix}Cell{bits}(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(h));");
                    w.Line("return;");
                }
            }
            w.Line();
        }

        /// <summary>
        /// Step's call of layer <paramref name="number"/>, which has cells: where its narrowest cell's width is
        /// accelerated, the cells as <see cref="EmitDispatch"/> picks them; elsewhere <c>Layer{n}</c> (its general
        /// form) with the scratch declared in that branch, so Step does not clear it at every call. Returns false,
        /// emitting nothing, for a layer without cells.
        /// </summary>
        public static bool EmitStepCall(IndentedWriter w, int number, GruLayerSpec g, string input, int scratchFloats)
        {
            var tiers = Tiers(w, g);
            if (tiers.Count == 0) return false;
            w.Line($"// Layer {number}: Predict's cell, with the gates in vector registers.");
            using (w.Block($"if ({tiers[tiers.Count - 1].Type}.IsHardwareAccelerated)"))
            {
                for (int t = 0; t < tiers.Count; t++)
                {
                    string? header = RegisterStageEmitter.TierHeader(t, tiers.Count, tiers[t].Type);
                    using (header is null ? default(IndentedWriter.Scope?) : w.Block(header))
                    {
                        w.Line($"Layer{number}Cell{tiers[t].Bits}(ref MemoryMarshal.GetReference({input}), ref MemoryMarshal.GetReference(h{number}));");
                    }
                }
            }
            using (w.Block("else"))
            {
                w.Line($"Span<float> z = stackalloc float[{IntLiteral.Format(scratchFloats)}];");
                w.Line($"Layer{number}({input}, h{number}, z);");
            }
            return true;
        }

        /// <summary>Whether the layer has cells (see <see cref="EmitStepCall"/>).</summary>
        public static bool HasCells(IndentedWriter w, GruLayerSpec g) => Tiers(w, g).Count > 0;

        /// <summary>The layer's cell methods (see <see cref="EmitDispatch"/>).</summary>
        public static void EmitCells(IndentedWriter w, string number, GruLayerSpec g)
        {
            string prefix = $"Layer{number}";
            int u = g.Units, inputs = g.InputSize;
            bool bias = g.Bias is not null;
            string rec = ActivationEmitter.TypeName(g.RecurrentActivation), act = ActivationEmitter.TypeName(g.Activation);
            foreach ((_, int bits, List<Chunk> chunks) in Tiers(w, g))
            {
                string description = string.Join(" + ", chunks.Select(c => c.Type));
                w.Line($"/// <summary>Layer {number}, one timestep with each gate in registers ({description}): reads x and h, writes the new h.</summary>");
                using (w.Method($"private static void {prefix}Cell{bits}(ref float x, ref float h)", noInlining: true))
                {
                    w.Line($"ref float kernelZR = ref MemoryMarshal.GetReference({prefix}KernelZR);");
                    w.Line($"ref float kernelH = ref MemoryMarshal.GetReference({prefix}KernelH);");
                    w.Line($"ref float recurrentZR = ref MemoryMarshal.GetReference({prefix}RecurrentKernelZR);");
                    w.Line($"ref float recurrentH = ref MemoryMarshal.GetReference({prefix}RecurrentKernelH);");
                    if (bias)
                    {
                        w.Line($"ref float biasZR = ref MemoryMarshal.GetReference({prefix}BiasZR);");
                        w.Line($"ref float biasH = ref MemoryMarshal.GetReference({prefix}BiasH);");
                        if (g.ResetAfter) w.Line($"ref float recurrentBiasH = ref MemoryMarshal.GetReference({prefix}RecurrentBiasH);");
                    }
                    for (int c = 0; c < chunks.Count; c++)
                    {
                        Chunk k = chunks[c];
                        w.Line($"{k.Type}<float> z{c} = {Start(k, bias ? "biasZR" : null, k.Offset)};");
                        w.Line($"{k.Type}<float> r{c} = {Start(k, bias ? "biasZR" : null, u + k.Offset)};");
                        w.Line($"{k.Type}<float> input{c} = {Start(k, bias ? "biasH" : null, k.Offset)};");
                        if (g.ResetAfter) w.Line($"{k.Type}<float> recurrent{c} = {Start(k, bias ? "recurrentBiasH" : null, k.Offset)};");
                    }

                    w.Line("// z, r and the candidate's input part += x·W, row by row.");
                    using (w.Block($"for (nuint k = 0; k < {inputs}; k++)"))
                    {
                        EmitBroadcasts(w, chunks, "x");
                        w.Line($"ref float rowZR = ref Unsafe.Add(ref kernelZR, k * {2 * u});");
                        w.Line($"ref float rowH = ref Unsafe.Add(ref kernelH, k * {u});");
                        for (int c = 0; c < chunks.Count; c++)
                        {
                            Chunk k = chunks[c];
                            w.Line($"z{c} = {Fma(k, "rowZR", k.Offset, $"z{c}")};");
                            w.Line($"r{c} = {Fma(k, "rowZR", u + k.Offset, $"r{c}")};");
                            w.Line($"input{c} = {Fma(k, "rowH", k.Offset, $"input{c}")};");
                        }
                    }

                    w.Line(g.ResetAfter
                        ? "// z, r and the candidate's recurrent part += h·U, row by row."
                        : "// z, r += h·U, row by row (the candidate's product needs r first).");
                    using (w.Block($"for (nuint k = 0; k < {u}; k++)"))
                    {
                        EmitBroadcasts(w, chunks, "h");
                        w.Line($"ref float rowZR = ref Unsafe.Add(ref recurrentZR, k * {2 * u});");
                        if (g.ResetAfter) w.Line($"ref float rowH = ref Unsafe.Add(ref recurrentH, k * {u});");
                        for (int c = 0; c < chunks.Count; c++)
                        {
                            Chunk k = chunks[c];
                            w.Line($"z{c} = {Fma(k, "rowZR", k.Offset, $"z{c}")};");
                            w.Line($"r{c} = {Fma(k, "rowZR", u + k.Offset, $"r{c}")};");
                            if (g.ResetAfter) w.Line($"recurrent{c} = {Fma(k, "rowH", k.Offset, $"recurrent{c}")};");
                        }
                    }

                    if (g.ResetAfter)
                    {
                        w.Line("// Reset after the product: r * (h·U_h + b_rec_h).");
                        for (int c = 0; c < chunks.Count; c++) w.Line($"recurrent{c} = {rec}.Invoke(r{c}) * recurrent{c};");
                    }
                    else
                    {
                        w.Line("// Reset before the product: (r * h)·U_h, from r * h stored once so each of its units can be broadcast.");
                        w.Line($"Span<float> resetH = stackalloc float[{u}];");
                        w.Line("ref float reset = ref MemoryMarshal.GetReference(resetH);");
                        for (int c = 0; c < chunks.Count; c++)
                        {
                            Chunk k = chunks[c];
                            w.Line($"{k.Type}.StoreUnsafe({rec}.Invoke(r{c}) * {Load(k, "h", k.Offset)}, ref reset, {k.Offset});");
                            w.Line($"{k.Type}<float> recurrent{c} = {k.Type}<float>.Zero;");
                        }
                        using (w.Block($"for (nuint k = 0; k < {u}; k++)"))
                        {
                            EmitBroadcasts(w, chunks, "reset");
                            w.Line($"ref float rowH = ref Unsafe.Add(ref recurrentH, k * {u});");
                            for (int c = 0; c < chunks.Count; c++)
                            {
                                Chunk k = chunks[c];
                                w.Line($"recurrent{c} = {Fma(k, "rowH", k.Offset, $"recurrent{c}")};");
                            }
                        }
                    }

                    w.Line("// h = z * h + (1 - z) * candidate, every new value computed before h is written.");
                    for (int c = 0; c < chunks.Count; c++)
                    {
                        Chunk k = chunks[c];
                        w.Line($"{k.Type}<float> gate{c} = {rec}.Invoke(z{c});");
                        w.Line($"{k.Type}<float> next{c} = (gate{c} * {Load(k, "h", k.Offset)}) + (({k.Type}<float>.One - gate{c}) * {act}.Invoke(input{c} + recurrent{c}));");
                    }
                    for (int c = 0; c < chunks.Count; c++)
                    {
                        Chunk k = chunks[c];
                        w.Line(k.Offset == 0 ? $"{k.Type}.StoreUnsafe(next{c}, ref h);" : $"{k.Type}.StoreUnsafe(next{c}, ref h, {k.Offset});");
                    }
                }
                w.Line();
            }
        }

        /// <summary>The broadcast of row k's value, once per vector type the chunks use.</summary>
        private static void EmitBroadcasts(IndentedWriter w, List<Chunk> chunks, string values)
        {
            w.Line($"float value = Unsafe.Add(ref {values}, k);");
            foreach (string type in chunks.Select(c => c.Type).Distinct())
            {
                w.Line($"{type}<float> {Broadcast(type)} = {type}.Create(value);");
            }
        }

        private static string Broadcast(string type) => "v" + type.Substring("Vector".Length);

        private static string Start(Chunk k, string? bias, int offset)
            => bias is null ? $"{k.Type}<float>.Zero" : Load(k, bias, offset);

        private static string Load(Chunk k, string source, int offset)
            => offset == 0 ? $"{k.Type}.LoadUnsafe(ref {source})" : $"{k.Type}.LoadUnsafe(ref {source}, {offset})";

        private static string Fma(Chunk k, string row, int offset, string accumulator)
            => $"FusedMultiplyAdd.Compute({Broadcast(k.Type)}, {Load(k, row, offset)}, {accumulator})";
    }
}
