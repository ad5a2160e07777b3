using System;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using LstmGen.Runtime;
using Xunit.Abstractions;

namespace LstmGen.Tests.Runtime;

/// <summary>
/// Each activation against a double-precision reference written in <see cref="ActivationReference"/>, over
/// about 285,000 inputs (a dense sweep of [-30, 30], a wider sweep, tiny magnitudes, special values, random bit
/// patterns). test.sh runs this namespace on the widest SIMD path and again with AVX-512, AVX2 and all hardware
/// intrinsics off, so the Vector512, Vector256, Vector128 and scalar paths all meet the same bars. The measured
/// errors are written to the test output.
/// </summary>
public sealed class ActivationAccuracyTests
{
    private readonly ITestOutputHelper _output;

    public ActivationAccuracyTests(ITestOutputHelper output) => _output = output;

    private Measurement Verify(string name, float[]? inputs = null)
    {
        Measurement m = ActivationReference.Measure(ActivationReference.Case(name), inputs ?? ActivationReference.Inputs);
        _output.WriteLine(m.Describe(name));
        Assert.True(m.Failure is null, m.Failure);
        return m;
    }

    [Fact]
    public void Tanh_is_within_3e7_of_double_precision() => Verify("tanh");

    [Fact]
    public void Tanh_keeps_relative_accuracy_below_1e6_for_small_inputs()
    {
        float[] small = ActivationReference.Inputs.Where(x => Math.Abs(x) < 0.625f && Math.Abs(x) >= 1.17549435e-38f).ToArray();
        float[] values = (float[])small.Clone();
        SpanActivations.Tanh(values);
        double worst = 0;
        for (int i = 0; i < small.Length; i++)
        {
            double expected = Math.Tanh(small[i]);
            double rel = Math.Abs(values[i] - expected) / Math.Abs(expected);
            Assert.True(rel <= 1e-6, $"tanh({small[i]:R}) = {values[i]:R}, expected {expected:R}");
            worst = Math.Max(worst, rel);
        }
        _output.WriteLine($"tanh on {ActivationReference.Path}: max rel error {worst:G3} for normal |x| < 0.625");
    }

    [Fact]
    public void Tanh_is_within_one_unit_in_the_last_place_and_never_beyond_one()
    {
        // The rational form in double precision (VectorMath.Tanh.cs) is within 0.9 ulp over every float; the
        // exp-based form it replaced reached 1.33 ulp. Without vector acceleration spans take MathF.Tanh, the
        // C runtime's tanhf (1.38 ulp measured here with glibc), held to 2 ulp.
        double bar = Vector128.IsHardwareAccelerated ? 1 : 2;
        float[] inputs = ActivationReference.Inputs.Where(x => !float.IsNaN(x)).ToArray();
        float[] values = (float[])inputs.Clone();
        SpanActivations.Tanh(values);
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = Math.Tanh(inputs[i]);
            float rounded = (float)expected;
            double ulp = Math.Abs(rounded) == 1f ? 1 - MathF.BitDecrement(1f) : MathF.BitIncrement(Math.Abs(rounded)) - Math.Abs(rounded);
            double error = Math.Abs(values[i] - expected) / ulp;
            Assert.True(error <= bar && Math.Abs(values[i]) <= 1f, $"tanh({inputs[i]:R}) = {values[i]:R}, expected {expected:R} ({error:F2} ulp)");
            worst = Math.Max(worst, error);
        }
        _output.WriteLine($"tanh on {ActivationReference.Path}: max error {worst:F3} ulp");
    }

    [Fact]
    public void Sigmoid_is_within_3e7_of_double_precision() => Verify("sigmoid");

    [Fact]
    public void Sigmoid_has_relative_error_below_1e6_where_the_result_is_normal()
    {
        float[] inputs = ActivationReference.Inputs.Where(x => x > -87f).ToArray();
        float[] values = (float[])inputs.Clone();
        SpanActivations.Sigmoid(values);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = ActivationReference.Sigmoid(inputs[i]);
            if (double.IsNaN(expected)) continue;
            Assert.True(Math.Abs(values[i] - expected) <= 1e-6 * expected, $"sigmoid({inputs[i]:R}) = {values[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Sigmoid_rounds_subnormal_results_as_the_two_factor_scaling_does()
    {
        // Without AVX-512, sigmoid's exp scales by 2^(n + 64) and then 2^-64 instead of the two factors
        // 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋) (VectorMath's remarks). Both must round p · 2^n once: every float x in [-104.5, -60],
        // where the results go from normal through subnormal to zero, against the two-factor form written out here.
        int checkedValues = 0;
        Span<float> lane = stackalloc float[8];
        for (int bits = BitConverter.SingleToInt32Bits(-60f); bits <= BitConverter.SingleToInt32Bits(-104.5f); bits += 8)
        {
            for (int k = 0; k < 8; k++) lane[k] = BitConverter.Int32BitsToSingle(bits + k);
            Vector256<float> x = Vector256.Create((ReadOnlySpan<float>)lane);
            Vector256<float> middle = VectorMath.Sigmoid(x);
            Vector128<float> narrow = VectorMath.Sigmoid(x.GetLower());
            for (int k = 0; k < 8; k++)
            {
                int expected = BitConverter.SingleToInt32Bits(TwoFactorSigmoid(lane[k]));
                Same(lane[k], expected, Vector256.IsHardwareAccelerated, middle[k], "Vector256");
                Same(lane[k], expected, Vector128.IsHardwareAccelerated && k < 4, k < 4 ? narrow[k] : 0, "Vector128");
            }
            checkedValues += 8;
        }
        _output.WriteLine($"{checkedValues} inputs, FMA: {System.Runtime.Intrinsics.X86.Fma.IsSupported}");
    }

    // Only with FMA: without it the vector forms multiply and add separately, and the bits are another matter.
    private static void Same(float x, int expected, bool compared, float actual, string width) => Assert.True(
        !compared || !System.Runtime.Intrinsics.X86.Fma.IsSupported || BitConverter.SingleToInt32Bits(actual) == expected,
        $"sigmoid({x:R}) on {width}: {actual:R}, the two factors give {BitConverter.Int32BitsToSingle(expected):R}");

    /// <summary>VectorMath's sigmoid for one lane, exp's 2^n applied as the two exact factors.</summary>
    private static float TwoFactorSigmoid(float x)
    {
        float m = MathF.Max(VectorMath.ExpLo, -MathF.Abs(x));
        float shifted = MathF.FusedMultiplyAdd(m, VectorMath.Log2E, VectorMath.RoundingShift);
        float n = shifted - VectorMath.RoundingShift;
        float r = MathF.FusedMultiplyAdd(n, -VectorMath.Ln2Hi, m);
        r = MathF.FusedMultiplyAdd(n, -VectorMath.Ln2Lo, r);
        float r2 = r * r;
        float low = MathF.FusedMultiplyAdd(VectorMath.P4, r, VectorMath.P5);
        float middle = MathF.FusedMultiplyAdd(VectorMath.P2, r, VectorMath.P3);
        float high = MathF.FusedMultiplyAdd(VectorMath.P0, r, VectorMath.P1);
        float q = MathF.FusedMultiplyAdd(high, r2 * r2, MathF.FusedMultiplyAdd(middle, r2, low));
        float p = MathF.FusedMultiplyAdd(q, r2, r) + 1f;
        int power = (int)n, half = power >> 1;
        float e = p * MathF.ScaleB(1f, half) * MathF.ScaleB(1f, power - half);
        return (x < 0 ? e : 1f) / (1f + e);
    }

    [Fact]
    public void Exponential_has_relative_error_below_1e6_where_the_result_is_normal() => Verify("exponential");

    [Fact]
    public void Swish_is_within_1e6_relative_of_double_precision() => Verify("swish");

    [Fact]
    public void Hard_sigmoid_keras2_matches_clip_of_0_2x_plus_0_5() => Verify("hard_sigmoid");

    [Fact]
    public void Hard_sigmoid_keras3_matches_relu6_of_x_plus_3_over_6() => Verify("hard_sigmoid_keras3");

    [Fact]
    public void Relu_is_exact() => Verify("relu");

    [Fact]
    public void Elu_is_correctly_rounded_from_double_including_tiny_inputs() => Verify("elu");

    [Fact]
    public void Selu_is_correctly_rounded_from_double_including_tiny_inputs() => Verify("selu");

    [Fact]
    public void Softsign_is_within_2_ulps_of_double_precision() => Verify("softsign");

    [Fact]
    public void Softplus_is_correctly_rounded_from_double_for_any_magnitude() => Verify("softplus");

    [Theory]
    [MemberData(nameof(ActivationReference.CaseNames), MemberType = typeof(ActivationReference))]
    public void Every_length_0_to_70_matches_the_reference_and_leaves_neighbours_alone(string name)
    {
        // Lengths 0..70 walk every width (16, 8, 4 lanes), the overlapping last vector and the scalar form; the
        // values cycle through the special values and a sweep so each lands in every lane position.
        ActivationCase c = ActivationReference.Case(name);
        float[] pattern = ActivationReference.Specials.Concat(Enumerable.Range(0, 61).Select(k => (k - 30) * 0.37f)).ToArray();
        const float Sentinel = 12345.678f;
        for (int length = 0; length <= 70; length++)
        {
            float[] buffer = new float[length + 2];
            buffer[0] = buffer[^1] = Sentinel;
            for (int k = 0; k < length; k++) buffer[k + 1] = pattern[(length * 7 + k) % pattern.Length];
            float[] inputs = buffer[1..^1];

            c.Function(buffer.AsSpan(1, length));

            Assert.Equal(Sentinel, buffer[0]);
            Assert.Equal(Sentinel, buffer[^1]);
            for (int k = 0; k < length; k++)
            {
                Assert.True(ActivationReference.Accepts(c, inputs[k], buffer[k + 1], out double expected),
                    $"length {length}, index {k}: {name}({inputs[k]:R}) = {buffer[k + 1]:R}, expected {expected:R} (path {ActivationReference.Path})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ActivationReference.CaseNames), MemberType = typeof(ActivationReference))]
    public void The_scalar_form_agrees_with_the_vector_forms_within_the_tolerance(string name)
    {
        // A one-element span always takes the scalar form; the whole array takes the widest vector path.
        ActivationCase c = ActivationReference.Case(name);
        float[] inputs = ActivationReference.Inputs;
        float[] wide = (float[])inputs.Clone();
        c.Function(wide);
        float[] one = new float[1];
        double worst = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            one[0] = inputs[i];
            c.Function(one);
            if (float.IsNaN(one[0]) || float.IsNaN(wide[i]))
            {
                Assert.True(float.IsNaN(one[0]) && float.IsNaN(wide[i]), $"{name}({inputs[i]:R}): {one[0]:R} alone, {wide[i]:R} in a span");
                continue;
            }
            if (one[0] == wide[i]) continue;
            double difference = Math.Abs(one[0] - wide[i]);
            Assert.True(difference <= 2 * (c.Abs + c.Rel * Math.Abs(wide[i])), $"{name}({inputs[i]:R}): {one[0]:R} alone, {wide[i]:R} in a span");
            worst = Math.Max(worst, difference / Math.Max(1, Math.Abs(wide[i])));
        }
        _output.WriteLine($"{name}: scalar form vs {ActivationReference.Path}: max difference {worst:G3} (relative above 1)");
    }

    [Fact]
    public void Special_values_give_the_limits_and_keep_nan()
    {
        // One value per call (scalar form) and the same values inside a 40-float span (vector forms).
        static float[] Apply(Activation f, params float[] x)
        {
            float[] one = x.Select(v => { float[] a = { v }; f(a); return a[0]; }).ToArray();
            float[] wide = new float[40];
            x.CopyTo(wide, 17);
            f(wide);
            for (int k = 0; k < x.Length; k++)
            {
                Assert.True(float.IsNaN(one[k]) ? float.IsNaN(wide[17 + k]) : one[k] == wide[17 + k], $"{f.Method.Name}({x[k]:R}): {one[k]:R} alone, {wide[17 + k]:R} in a span");
            }
            return one;
        }
        const float Inf = float.PositiveInfinity;
        Assert.Equal(new[] { 1f, -1f, 1f, -1f, 1f, -1f }, Apply(SpanActivations.Tanh, Inf, -Inf, 100f, -100f, float.MaxValue, -float.MaxValue));
        Assert.Equal(new[] { 1f, 0f, 1f, 1f }, Apply(SpanActivations.Sigmoid, Inf, -Inf, 100f, float.MaxValue));
        Assert.InRange(Apply(SpanActivations.Sigmoid, -100f)[0], 0f, 1e-43f);
        Assert.Equal(new[] { Inf, 0f, Inf, 0f, 1f }, Apply(SpanActivations.Exponential, Inf, -Inf, 100f, -200f, 0f));
        Assert.Equal(new[] { Inf, 0f, 5f, 0f }, Apply(SpanActivations.Relu, Inf, -Inf, 5f, -5f));
        Assert.Equal(new[] { 1f, -1f }, Apply(SpanActivations.Softsign, Inf, -Inf));
        Assert.Equal(new[] { 100f, Inf, 0f }, Apply(SpanActivations.Softplus, 100f, Inf, -Inf));
        Assert.Equal(new[] { Inf, 0f }, Apply(SpanActivations.Swish, Inf, -Inf));
        Assert.Equal(new[] { Inf, -1f }, Apply(SpanActivations.Elu, Inf, -Inf));
        Assert.Equal(new[] { Inf, (float)(-1.05070098735548049341933498529460 * 1.67326324235437728481704299167177) }, Apply(SpanActivations.Selu, Inf, -Inf));
        Assert.Equal(new[] { 1f, 0f }, Apply(SpanActivations.HardSigmoid, Inf, -Inf));
        Assert.Equal(new[] { 1f, 0f }, Apply(SpanActivations.HardSigmoidKeras3, Inf, -Inf));
        foreach (ActivationCase c in ActivationReference.Cases)
        {
            float[] result = Apply(c.Function, float.NaN, 1f, -float.NaN, 0f);
            Assert.True(float.IsNaN(result[0]) && float.IsNaN(result[2]), c.Name + " must keep NaN");
            Assert.False(float.IsNaN(result[1]) || float.IsNaN(result[3]), c.Name + " must not spread NaN to other elements");
        }
    }

    [Fact]
    public void Concurrent_calls_give_the_same_bits_as_one_thread()
    {
        float[] serial = (float[])ActivationReference.Inputs.Clone();
        SpanActivations.Tanh(serial);
        SpanActivations.Sigmoid(serial);
        float[][] results = new float[8][];
        Parallel.For(0, results.Length, t =>
        {
            float[] values = (float[])ActivationReference.Inputs.Clone();
            SpanActivations.Tanh(values);
            SpanActivations.Sigmoid(values);
            results[t] = values;
        });
        foreach (float[] r in results)
        {
            Assert.True(MemoryMarshal.Cast<float, int>(r).SequenceEqual(MemoryMarshal.Cast<float, int>(serial)));
        }
    }
    [Fact]
    public void Every_vector_width_gives_the_same_bits()
    {
        // Vector512 and Vector256 scale by 2^n with one vscalefps where AVX-512 is there; Vector128 always uses
        // the two exact power-of-two factors. Both round once, so every width must give the same bits.
        float[] inputs = ActivationReference.Inputs;
        int checkedValues = 0;
        for (int i = 0; i + 16 <= inputs.Length; i += 16)
        {
            Vector512<float> x = Vector512.Create(inputs.AsSpan(i, 16));
            (string Name, Func<Vector512<float>, Vector512<float>> Wide, Func<Vector256<float>, Vector256<float>> Middle, Func<Vector128<float>, Vector128<float>> Narrow)[] functions =
            {
                ("exp", VectorMath.Exp, VectorMath.Exp, VectorMath.Exp),
                ("sigmoid", VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid),
                ("tanh", VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh),
            };
            foreach (var f in functions)
            {
                Vector512<float> narrow = Vector512.Create(
                    Vector256.Create(f.Narrow(x.GetLower().GetLower()), f.Narrow(x.GetLower().GetUpper())),
                    Vector256.Create(f.Narrow(x.GetUpper().GetLower()), f.Narrow(x.GetUpper().GetUpper())));
                Vector512<float> middle = Vector512.Create(f.Middle(x.GetLower()), f.Middle(x.GetUpper()));
                Vector512<float> wide = f.Wide(x);
                for (int k = 0; k < 16; k++)
                {
                    // Only the widths the generated code takes: a width that is not accelerated is emulated in software.
                    Same(narrow[k], middle[k], Vector256.IsHardwareAccelerated, "Vector256");
                    Same(narrow[k], wide[k], Vector512.IsHardwareAccelerated, "Vector512");

                    void Same(float expected, float actual, bool accelerated, string width) => Assert.True(
                        !accelerated || (float.IsNaN(expected) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual)),
                        $"{f.Name}({x[k]:R}): Vector128 {expected:R}, {width} {actual:R}");
                }
                checkedValues += 16;
            }
        }
        _output.WriteLine($"{checkedValues} values, {ActivationReference.Path}, AVX-512F: {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        Assert.True(Vector128.IsHardwareAccelerated || !Vector256.IsHardwareAccelerated, "Vector128 is the reference width");
    }
}
