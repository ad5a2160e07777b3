using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Runtime
{
    /// <summary>
    /// a · b + c in one rounding where the hardware has FMA (x86 FMA3 / AVX-512F, ARM AdvSimd), else a multiply
    /// and an add. .NET 8 has no Vector256.FusedMultiplyAdd, so generated matrix loops call these; they inline to
    /// a single instruction and the IsSupported checks fold away.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class FusedMultiplyAdd
    {
        /// <summary>a · b + c on 16 lanes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Compute(Vector512<float> a, Vector512<float> b, Vector512<float> c)
            => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

        /// <summary>a · b + c on 8 lanes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Compute(Vector256<float> a, Vector256<float> b, Vector256<float> c)
            => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

        /// <summary>a · b + c on 4 lanes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Compute(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        {
            if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
            if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplyAdd(c, a, b);
            return a * b + c;
        }
    }
}
