using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LstmGen.Runtime
{
    /// <summary>
    /// The constants of exp, sigmoid and tanh as fields that <see cref="VectorMath"/> reads with a volatile load at
    /// every use. Written as <c>Vector512.Create(Log2E)</c> they are JIT constants, and the JIT hoists every constant
    /// of a loop body into a register for the whole loop: where the body already keeps many vectors live (a small
    /// LSTM's round in registers: eight gate accumulators, h, c and the pool), the fourteen or so constants of sigmoid
    /// and tanh pushed it past the register file and the JIT spilled about forty vectors per round to the stack and
    /// reloaded them on the activations' chain. A volatile load is neither folded nor hoisted: each use is one
    /// broadcast from L1 and holds no register between uses. The operations, and so the bits, are unchanged.
    /// <para>
    /// Plain static fields set by the module initializer: the class has no static constructor, so the methods that
    /// read them need no initialization check; the read is one instruction and no inlined call (a span over assembly
    /// data cost three inlined calls per constant and ran the JIT out of its inlining budget in the largest rounds).
    /// </para>
    /// </summary>
    internal static class ActivationConstants
    {
        internal static float Log2E, RoundingShift, MinusLn2Hi, MinusLn2Lo;
        internal static float P0, P1, P2, P3, P4, P5;
        internal static float ExpLo, ExpHi, TanhClamp, MinusTanhClamp, TwoToMinus64;
        internal static int ExponentBiasPlus64;
        internal static double TanhP1, TanhP2, TanhP3, TanhP4;
        internal static double TanhQ1, TanhQ2, TanhQ3, TanhQ4;

        [ModuleInitializer]
        [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
            Justification = "Assigns constants only; a static constructor would add an initialization check to every method that inlines an activation.")]
        internal static void Initialize()
        {
            Log2E = VectorMath.Log2E; RoundingShift = VectorMath.RoundingShift;
            MinusLn2Hi = -VectorMath.Ln2Hi; MinusLn2Lo = -VectorMath.Ln2Lo;
            P0 = VectorMath.P0; P1 = VectorMath.P1; P2 = VectorMath.P2; P3 = VectorMath.P3; P4 = VectorMath.P4; P5 = VectorMath.P5;
            ExpLo = VectorMath.ExpLo; ExpHi = VectorMath.ExpHi; TwoToMinus64 = VectorMath.TwoToMinus64; ExponentBiasPlus64 = VectorMath.ExponentBiasPlus64; TanhClamp = VectorMath.TanhClamp; MinusTanhClamp = -VectorMath.TanhClamp;
            TanhP1 = VectorMath.TanhP1; TanhP2 = VectorMath.TanhP2; TanhP3 = VectorMath.TanhP3; TanhP4 = VectorMath.TanhP4;
            TanhQ1 = VectorMath.TanhQ1; TanhQ2 = VectorMath.TanhQ2; TanhQ3 = VectorMath.TanhQ3; TanhQ4 = VectorMath.TanhQ4;
        }
    }
}
