using System;
using System.Collections.Immutable;
using System.Linq;

namespace LstmGen.Generator.Model
{
    /// <summary>What one model asks of the assembly's string constants: its parameter count, by its source file.</summary>
    internal sealed record StringBudgetClaim(string HintName, int Floats);

    /// <summary>
    /// Shares the assembly's string constants among its models. String literals are the fastest way to compile
    /// weights (the compiler copies them; UTF-8 literals and float literals cost it per byte or per value), but
    /// all string literals of an assembly live in one heap of 16,777,215 bytes (CS8103 past it).
    /// So every model of the compilation is known here, and each gets a share: models in the order of their
    /// generated file names claim their parameter count until <see cref="AssemblyFloats"/> is spent; what a
    /// model cannot store as strings is stored as base64 constant data (see WeightsEmitter).
    /// </summary>
    internal static class StringBudget
    {
        /// <summary>Floats of all models stored as strings: 14 MB of the heap, the rest left to the program's own strings.</summary>
        public const int AssemblyFloats = 3_500_000;

        /// <summary>
        /// LSTMs of up to this many units may also get zero-padded copies of their weights, 16 columns per gate (the
        /// register stages of Planning/RegisterStages and Emitting/RegisterStageEmitter, MaxUnits there).
        /// </summary>
        private const int PaddedCopyUnits = 16;

        public static StringBudgetClaim Claim(GenerationSpec spec)
            => new StringBudgetClaim(spec.Target.HintName, spec.Model is null ? 0 : Floats(spec.Model));

        /// <summary>
        /// The most floats a stage of small LSTMs packed side by side adds (Emitting/PackedRoundEmitter): at most 32
        /// rows of 4 gates × 32 lanes, and the bias.
        /// </summary>
        private const int PackedStageFloats = 33 * 4 * 32;

        /// <summary>The parameters, and the padded and packed copies register stages may add, so each string table finds room.</summary>
        private static int Floats(ModelSpec model)
        {
            long floats = model.ParameterCount;
            int small = 0;
            foreach (LayerSpec layer in model.Layers)
            {
                if (layer is LstmLayerSpec { Units: <= PaddedCopyUnits } lstm)
                {
                    floats += (long)(lstm.InputSize + lstm.Units + 1) * 4 * PaddedCopyUnits;
                    small++;
                }
            }
            // A packed stage holds two or more of those layers.
            floats += (long)(small / 2) * PackedStageFloats;
            return (int)Math.Min(int.MaxValue, floats);
        }

        /// <summary>Each model's share, in the order of the file names (ordinal), so the result is deterministic.</summary>
        public static EquatableArray<StringBudgetClaim> Share(ImmutableArray<StringBudgetClaim> claims)
        {
            int left = AssemblyFloats;
            var shares = claims
                .OrderBy(claim => claim.HintName, StringComparer.Ordinal)
                .Select(claim =>
                {
                    int share = Math.Min(claim.Floats, left);
                    left -= share;
                    return claim with { Floats = share };
                })
                .ToArray();
            return new EquatableArray<StringBudgetClaim>(shares);
        }

        /// <summary>The share of the model emitted as <paramref name="hintName"/> (0 when it claimed nothing).</summary>
        public static int For(EquatableArray<StringBudgetClaim> shares, string hintName)
        {
            foreach (StringBudgetClaim share in shares)
            {
                if (share.HintName == hintName) return share.Floats;
            }
            return 0;
        }
    }
}
