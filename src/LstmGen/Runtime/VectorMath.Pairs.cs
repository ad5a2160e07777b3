using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Runtime
{
    /// <summary>
    /// exp, sigmoid and tanh on two vectors of 16 lanes at once, each operation written for both in turn. The JIT
    /// emits instructions in source order, and one activation is a chain of about twenty dependent instructions:
    /// written one after the other, two chains only overlap as far as the out-of-order window reaches, so the LSTM cell
    /// ran at about half the instruction rate the core sustains. Interleaved, the two chains issue side by side. Every
    /// lane goes through exactly the operations of the one-vector forms in <see cref="VectorMath"/>, so the results
    /// are the same bits.
    /// </summary>
    internal static partial class VectorMath
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Exp(Vector512<float> x, Vector512<float> y)
        {
            Vector512<float> cx = Min(Max(x, Vector512.Create(ExpLo)), Vector512.Create(ExpHi));
            Vector512<float> cy = Min(Max(y, Vector512.Create(ExpLo)), Vector512.Create(ExpHi));
            Vector512<float> sx = FusedMultiplyAdd.Compute(cx, Vector512.Create(Log2E), Vector512.Create(RoundingShift));
            Vector512<float> sy = FusedMultiplyAdd.Compute(cy, Vector512.Create(Log2E), Vector512.Create(RoundingShift));
            Vector512<float> nx = sx - Vector512.Create(RoundingShift);
            Vector512<float> ny = sy - Vector512.Create(RoundingShift);
            Vector512<float> rx = FusedMultiplyAdd.Compute(nx, Vector512.Create(-Ln2Hi), cx);
            Vector512<float> ry = FusedMultiplyAdd.Compute(ny, Vector512.Create(-Ln2Hi), cy);
            rx = FusedMultiplyAdd.Compute(nx, Vector512.Create(-Ln2Lo), rx);
            ry = FusedMultiplyAdd.Compute(ny, Vector512.Create(-Ln2Lo), ry);
            Vector512<float> px = FusedMultiplyAdd.Compute(Vector512.Create(P0), rx, Vector512.Create(P1));
            Vector512<float> py = FusedMultiplyAdd.Compute(Vector512.Create(P0), ry, Vector512.Create(P1));
            px = FusedMultiplyAdd.Compute(px, rx, Vector512.Create(P2));
            py = FusedMultiplyAdd.Compute(py, ry, Vector512.Create(P2));
            px = FusedMultiplyAdd.Compute(px, rx, Vector512.Create(P3));
            py = FusedMultiplyAdd.Compute(py, ry, Vector512.Create(P3));
            px = FusedMultiplyAdd.Compute(px, rx, Vector512.Create(P4));
            py = FusedMultiplyAdd.Compute(py, ry, Vector512.Create(P4));
            px = FusedMultiplyAdd.Compute(px, rx, Vector512.Create(P5));
            py = FusedMultiplyAdd.Compute(py, ry, Vector512.Create(P5));
            px = FusedMultiplyAdd.Compute(px, rx * rx, rx) + Vector512<float>.One;
            py = FusedMultiplyAdd.Compute(py, ry * ry, ry) + Vector512<float>.One;
            return (KeepNaN(x, TimesPowerOfTwo(px, nx, sx)), KeepNaN(y, TimesPowerOfTwo(py, ny, sy)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Sigmoid(Vector512<float> x, Vector512<float> y)
        {
            (Vector512<float> ex, Vector512<float> ey) = Exp(-Vector512.Abs(x), -Vector512.Abs(y));
            Vector512<float> nx = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), ex, Vector512<float>.One);
            Vector512<float> ny = Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512<float>.Zero), ey, Vector512<float>.One);
            return (nx / (Vector512<float>.One + ex), ny / (Vector512<float>.One + ey));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<float>, Vector512<float>) Tanh(Vector512<float> x, Vector512<float> y)
        {
            Vector512<float> ax = Vector512.Abs(x);
            Vector512<float> ay = Vector512.Abs(y);
            Vector512<float> zx = x * x;
            Vector512<float> zy = y * y;
            Vector512<float> tx = FusedMultiplyAdd.Compute(Vector512.Create(T0), zx, Vector512.Create(T1));
            Vector512<float> ty = FusedMultiplyAdd.Compute(Vector512.Create(T0), zy, Vector512.Create(T1));
            tx = FusedMultiplyAdd.Compute(tx, zx, Vector512.Create(T2));
            ty = FusedMultiplyAdd.Compute(ty, zy, Vector512.Create(T2));
            tx = FusedMultiplyAdd.Compute(tx, zx, Vector512.Create(T3));
            ty = FusedMultiplyAdd.Compute(ty, zy, Vector512.Create(T3));
            tx = FusedMultiplyAdd.Compute(tx, zx, Vector512.Create(T4));
            ty = FusedMultiplyAdd.Compute(ty, zy, Vector512.Create(T4));
            Vector512<float> smallX = FusedMultiplyAdd.Compute(tx * zx, x, x);
            Vector512<float> smallY = FusedMultiplyAdd.Compute(ty * zy, y, y);
            (Vector512<float> ex, Vector512<float> ey) = Exp(ax + ax, ay + ay);
            Vector512<float> largeX = Vector512<float>.One - Vector512.Create(2f) / (ex + Vector512<float>.One);
            Vector512<float> largeY = Vector512<float>.One - Vector512.Create(2f) / (ey + Vector512<float>.One);
            Vector512<float> rx = Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhSmall)), smallX, largeX);
            Vector512<float> ry = Vector512.ConditionalSelect(Vector512.LessThan(ay, Vector512.Create(TanhSmall)), smallY, largeY);
            return (KeepNaN(x, Vector512.ConditionalSelect(Vector512.Create(-0f), x, rx)), KeepNaN(y, Vector512.ConditionalSelect(Vector512.Create(-0f), y, ry)));
        }
    }
}
