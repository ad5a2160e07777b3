using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emitting
{
    /// <summary>The blocked timestep loop of a stage (<see cref="ExecutionPlan.Stage"/>), and its one-block form.</summary>
    internal sealed partial class StageEmitter
    {
        /// <summary>The stage's row count when one block holds every row (a fixed length no longer than the block).</summary>
        private int? OneBlockRows(ExecutionPlan.Stage stage) => _blocks.OneBlock(FixedRows(stage));

        /// <summary>
        /// The stage's timestep loop, in blocks: each layer runs over the whole block before the next one, reading
        /// the previous layer's block rows. Rows are kept in processing order, except that a stage read backwards
        /// takes its source rows as they lie in memory and its first stateful layer walks them last first. When one
        /// block holds every row (a fixed length no longer than the block), the loops are written without their
        /// headers: t0 is 0 and count the row count, and a one-row block has no row loop either.
        /// </summary>
        private void EmitBlocks(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth)
        {
            if (OneBlockRows(stage) is int rows)
            {
                _w.Line(rows == 1 ? "// One timestep: no loop." : $"// One block holds all {IntLiteral.Format(rows)} timesteps.");
                EmitBlock(index, stage, sink, sinkWidth, "0", IntLiteral.Format(rows));
                return;
            }
            using (_w.Block($"for (int t0 = 0; t0 < {Rows(stage)}; t0 += BlockSteps)"))
            {
                _w.Line($"int count = Math.Min(BlockSteps, {Rows(stage)} - t0);");
                EmitBlock(index, stage, sink, sinkWidth, "t0", "count");
            }
        }

        /// <summary>One block of rows starting at row <paramref name="t0"/>, <paramref name="count"/> of them (names or literals).</summary>
        private void EmitBlock(int index, ExecutionPlan.Stage stage, string? sink, int sinkWidth, string t0, string count)
        {
            string source = Source(index);
            string steps = Rows(stage);
            int width = _model.Layers[stage.Layers[0]].InputSize;
            bool wholeSource = t0 == "0" && count != "count";
            string current;
            if (wholeSource)
            {
                // The block is the source's first rows, read in place (each layer method slices what it reads).
                current = source;
            }
            else
            {
                string start = stage.ReadsBackwards ? $"({steps} - t0 - count)" : "t0";
                string type = index == 0 ? _model.InputType : "float";
                _w.Line($"ReadOnlySpan<{type}> block = {source}.Slice({IndexExpression.Times(start, IntLiteral.Format(width))}, count * {width});");
                current = "block";
            }
            bool oneRow = count == "1";
            string r = oneRow ? "0" : "r";
            int currentWidth = width;
            bool reversed = stage.ReadsBackwards;
            // Until its first recurrent layer, a stage read backwards holds source row steps - 1 - (t0 + r) in row r;
            // after it, row r is sequence row t0 + r (Keras never reverses the mask, only a go_backwards layer's walk).
            bool sourceOrder = stage.ReadsBackwards;
            foreach (int i in stage.Layers)
            {
                int n = i + 1;
                LayerSpec layer = _model.Layers[i];
                if (layer.PassesDataThrough)
                {
                    _w.Line($"// Layer {n}: {CommentText.Line(layer.Description)}.");
                    continue;
                }
                string row = reversed ? Minus(Minus(count, "1"), r) : r;
                string t = Plus(t0, r);
                string? maskRow = !stage.Masked || layer is not RecurrentLayerSpec ? null : sourceOrder ? Minus(Minus($"{steps} - 1", t0), r) : t;
                if (layer is RecurrentLayerSpec) sourceOrder = false;
                if (layer is LstmLayerSpec lstm)
                {
                    _w.Line($"Layer{n}Project({current}, {count}, zs);");
                    using (RowLoop(count))
                    {
                        string alternate = LayerEmitter.AlternatesPanels(lstm) ? $", {IndexExpression.Odd(t)}" : string.Empty;
                        // Predict's CoreTeam, if the caller gave one (see TeamEmitter).
                        string team = !_w.DebugBuild && TeamEmitter.Splits(lstm) ? ", team" : string.Empty;
                        string step = $"Layer{n}Step(zs.Slice({IndexExpression.Times(row, IntLiteral.Format(lstm.GateWidth))}, {lstm.GateWidth}), h{n}, c{n}{alternate}{team});";
                        if (maskRow is null)
                        {
                            _w.Line(step);
                        }
                        else
                        {
                            _w.Line("// A masked timestep keeps h and c; its output is the previous h.");
                            _w.Line($"if (!Masked(input, {maskRow})) {step}");
                        }
                        if (_blocks.KeepsBlock[i]) _w.Line($"h{n}.CopyTo(b{n}.Slice({IndexExpression.Times(r, IntLiteral.Format(lstm.Units))}, {lstm.Units}));");
                    }
                }
                else if (layer is GruLayerSpec gru && GruEmitter.Projects(_w, gru))
                {
                    int cellBits = RegisterStages.GruCellBits(gru, _w.DebugBuild);
                    if (cellBits == 0)
                    {
                        EmitGruRows(i, gru, current, count, r, row, t, maskRow);
                    }
                    else
                    {
                        // Its timestep runs in vector registers where their width is accelerated (as in Step); elsewhere
                        // the block's input parts first, as an LSTM's.
                        using (_w.Block($"if (Vector{cellBits}.IsHardwareAccelerated)"))
                        {
                            EmitRows(i, layer, current, currentWidth, count, r, row, t, maskRow);
                        }
                        using (_w.Block("else"))
                        {
                            EmitGruRows(i, gru, current, count, r, row, t, maskRow);
                        }
                    }
                }
                else
                {
                    EmitRows(i, layer, current, currentWidth, count, r, row, t, maskRow);
                }
                current = $"b{n}";
                currentWidth = layer.OutputSize;
                reversed = false;
            }

            string? target = Target(index, sink);
            if (target is not null)
            {
                int targetWidth = sink is null ? _model.OutputUnits : sinkWidth;
                string length = IndexExpression.Times(count, IntLiteral.Format(targetWidth));
                string destination = t0 == "0" ? target : $"{target}.Slice({IndexExpression.Times(t0, IntLiteral.Format(targetWidth))}, {length})";
                _w.Line($"{current}.Slice(0, {length}).CopyTo({destination});");
            }
        }

        /// <summary>The layer's method on each row of the block (<see cref="LayerCallEmitter"/>), its output rows kept where read.</summary>
        private void EmitRows(int i, LayerSpec layer, string current, int currentWidth, string count, string r, string row, string t, string? maskRow)
        {
            using (RowLoop(count))
            {
                // A reducer (Flatten, pooling) comes after the stage's first recurrent layer, so t0 + r is its timestep.
                string result = _calls.Emit(i, $"{current}.Slice({IndexExpression.Times(row, IntLiteral.Format(currentWidth))}, {currentWidth})", t, maskRow);
                if (_blocks.KeepsBlock[i]) _w.Line($"{result}.CopyTo(b{i + 1}.Slice({IndexExpression.Times(r, IntLiteral.Format(layer.OutputSize))}, {layer.OutputSize}));");
            }
        }

        /// <summary>A GRU over the block: the input parts of every row at once (<c>Layer{n}Project</c>), then <c>Layer{n}Step</c> per row.</summary>
        private void EmitGruRows(int i, GruLayerSpec gru, string current, string count, string r, string row, string t, string? maskRow)
        {
            int n = i + 1, u = gru.Units;
            _w.Line($"Layer{n}Project({current}, {count}, zs);");
            using (RowLoop(count))
            {
                // Predict's CoreTeam, if the caller gave one (see GruTeamEmitter).
                string step = GruEmitter.StepCall(_w, IntLiteral.Format(n), gru, row, count, IndexExpression.Odd(t), team: !_w.DebugBuild && TeamEmitter.Splits(gru));
                if (maskRow is null)
                {
                    _w.Line(step);
                }
                else
                {
                    _w.Line("// A masked timestep keeps h; its output is the previous h.");
                    _w.Line($"if (!Masked(input, {maskRow})) {step}");
                }
                if (_blocks.KeepsBlock[i]) _w.Line($"h{n}.CopyTo(b{n}.Slice({IndexExpression.Times(r, IntLiteral.Format(u))}, {u}));");
            }
        }

        /// <summary>The loop over a block's rows, or nothing when the block has one row (then r is 0).</summary>
        private System.IDisposable? RowLoop(string count) => count == "1" ? null : _w.Block($"for (int r = 0; r < {count}; r++)");

        /// <summary>a + b in generated code, folded when either is the literal 0 or both are literals.</summary>
        private static string Plus(string a, string b)
            => a == "0" ? b : b == "0" ? a : int.TryParse(a, out int x) && int.TryParse(b, out int y) ? IntLiteral.Format(x + y) : $"{a} + {b}";

        /// <summary>a - b in generated code, folded when b is the literal 0 or both are literals.</summary>
        private static string Minus(string a, string b)
            => b == "0" ? a : int.TryParse(a, out int x) && int.TryParse(b, out int y) ? IntLiteral.Format(x - y) : $"{a} - {b}";
    }
}
