using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using LstmGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// The generated code under stress: 100,000-step inputs on a 256 KB thread stack, many threads at once,
/// non-finite inputs, reused output buffers.
/// </summary>
public sealed class RuntimeReliabilityTests(ITestOutputHelper output)
{
    private const int LongSequence = 100_000;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[]
        {
            """
            namespace Reliability;
            [LstmGen.LstmModel("fixtures/stacked_variable.json")] public static partial class Stacked { }
            [LstmGen.LstmModel("fixtures/variable_length_go_backwards_in_middle.json")] public static partial class Buffered { }
            [LstmGen.LstmModel("fixtures/tutorial_3x_lstm10_t10.json")] public static partial class Tutorial { }
            [LstmGen.LstmModel("fixtures/worked_example_one_unit.json")] public static partial class OneUnit { }
            [LstmGen.LstmModel("fixtures/wide_dense.json")] public static partial class WideDense { }
            [LstmGen.LstmModel("fixtures/bidi_stacked_variable.json")] public static partial class BidirectionalStack { }
            """,
        },
        new[]
        {
            // The tutorial network (3 × LSTM(10) → Dense(1)) with variable timesteps.
            ("/p/fixtures/stacked_variable.json", Fixtures.ModelJson("tutorial_3x_lstm10_t10").Replace("\"batch_input_shape\":[null,10,1]", "\"batch_input_shape\":[null,null,1]")),
            ("/p/fixtures/variable_length_go_backwards_in_middle.json", Fixtures.ModelJson("variable_length_go_backwards_in_middle")),
            ("/p/fixtures/tutorial_3x_lstm10_t10.json", Fixtures.ModelJson("tutorial_3x_lstm10_t10")),
            ("/p/fixtures/worked_example_one_unit.json", Fixtures.ModelJson("worked_example_one_unit")),
            ("/p/fixtures/wide_dense.json", WideDenseModel()),
            // Bidirectional(SimpleRNN(5), mul) -> Bidirectional(LSTM(6), ave) -> LSTM(3) -> Dense(2), variable timesteps.
            ("/p/fixtures/bidi_stacked_variable.json", Fixtures.ModelJson("bidi_stacked_seq_mul_then_lstm").Replace("[null, 7, 2]", "[null, null, 2]")),
        }).Load());

    private const int WideUnits = 9000;

    /// <summary>
    /// The one-unit worked example LSTM followed by Dense(9000) per timestep with kernel j / 9000 and no bias:
    /// 18,000+ floats of state and scratch, more than the stack budget, so Predict rents them from ArrayPool.
    /// </summary>
    private static string WideDenseModel()
    {
        string kernel = "[[" + string.Join(",", Enumerable.Range(0, WideUnits).Select(j => (j / (double)WideUnits).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]]";
        return $$$"""
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "return_sequences": true, "batch_input_shape": [null, null, 1]},
               "weights": [[[0, 1, 4, 1]], [[3, 2, -5, 4]], [1, 2, 3, 2]]},
              {"class_name": "Dense", "config": {"name": "wide", "units": {{{WideUnits}}}, "use_bias": false}, "weights": [{{{kernel}}}]}]}}
            """;
    }

    private static PredictFunc Model(string name) => GeneratedModel.Predict(s_assembly.Value, "Reliability." + name);

    private static float[] Signal(int length, float phase)
    {
        float[] input = new float[length];
        for (int i = 0; i < input.Length; i++) input[i] = MathF.Sin(i * 0.05f + phase) + 0.1f * MathF.Cos(i * 0.31f);
        return input;
    }

    /// <summary>Runs on a thread with a 256 KB stack; returns the bytes this thread allocated during one call (the fewest of three).</summary>
    private static long RunOnSmallStack(Action action)
    {
        long allocated = -1;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 4; i++) action(); // warm-up: JIT tiers, ArrayPool buckets
                // The fewest of three calls: a gen-2 collection from another test may trim ArrayPool's cached
                // arrays once; a real per-call allocation shows in every call.
                allocated = long.MaxValue;
                for (int round = 0; round < 3 && allocated != 0; round++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    action();
                    allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("failed on the 256 KB thread", failure);
        return allocated;
    }

    [Fact]
    public void Hundred_thousand_steps_run_on_a_256_KB_stack_without_allocating()
    {
        PredictFunc predict = Model("Stacked");
        float[] input = Signal(LongSequence, 0f);
        float[] result = new float[1];
        // Reach the optimised JIT tier first (tiering promotes methods in the background while they keep
        // being called), so the time below is the steady-state time.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1000) predict(input.AsSpan(0, 32), result);
        var watch = new System.Diagnostics.Stopwatch();
        long allocated = RunOnSmallStack(() =>
        {
            watch.Restart();
            predict(input, result);
            watch.Stop();
        });

        output.WriteLine($"3 × LSTM(10), {LongSequence} timesteps: {watch.Elapsed.TotalMilliseconds:F2} ms, {allocated} bytes allocated");
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(result[0]));

        // The state is carried across all 100,000 steps: the same model on the last 10 steps alone differs.
        float[] shortResult = new float[1];
        predict(input.AsSpan(LongSequence - 10), shortResult);
        Assert.NotEqual(result[0], shortResult[0]);
    }

    [Fact]
    public void Hundred_thousand_steps_through_a_buffered_go_backwards_stage_run_on_a_256_KB_stack()
    {
        // A go_backwards layer above another recurrent layer needs that layer's whole output sequence
        // (Keras semantics), so this one model keeps T × units floats: pooled, never on the stack.
        PredictFunc predict = Model("Buffered");
        float[] input = Signal(2 * LongSequence, 1f);
        float[] result = new float[4 * LongSequence];
        result.AsSpan().Fill(float.NaN);
        long allocated = RunOnSmallStack(() => predict(input, result));

        output.WriteLine($"LSTM(3) → LSTM(4, go_backwards), {LongSequence} timesteps: {allocated} bytes allocated after warm-up");
        Assert.Equal(0, allocated);
        Assert.All(result, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void State_too_large_for_the_stack_is_pooled_and_still_exact_and_allocation_free()
    {
        PredictFunc predict = Model("WideDense");
        float[] result = new float[WideUnits];
        long allocated = RunOnSmallStack(() => predict(new[] { 2f }, result));

        // Hand-derived: x = 2 gives h = σ(4)·tanh(σ(1)·tanh(11)) = 0.6124943, so output j = 0.6124943 · j / 9000.
        Assert.Equal(0, allocated);
        for (int j = 0; j < WideUnits; j += 997)
        {
            float expected = 0.6124943f * (float)(j / (double)WideUnits);
            Assert.True(MathF.Abs(result[j] - expected) <= 1e-6f, $"output {j}: {result[j]} vs {expected}");
        }
    }

    [Fact]
    public void Hundred_thousand_steps_through_stacked_bidirectional_layers_run_on_a_256_KB_stack()
    {
        // Each Bidirectional layer reads its whole input both ways and writes a whole output sequence: both
        // sequences between the stages are pooled, never on the stack.
        PredictFunc predict = Model("BidirectionalStack");
        float[] input = Signal(2 * LongSequence, 2f);
        float[] result = new float[2 * LongSequence];
        result.AsSpan().Fill(float.NaN);
        long allocated = RunOnSmallStack(() => predict(input, result));

        output.WriteLine($"Bidirectional → Bidirectional → LSTM → Dense, {LongSequence} timesteps: {allocated} bytes allocated after warm-up");
        Assert.Equal(0, allocated);
        Assert.All(result, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Eight_threads_get_exactly_the_serial_results()
    {
        PredictFunc stacked = Model("Stacked");
        PredictFunc buffered = Model("Buffered");
        const int Inputs = 16;
        float[][] stackedInputs = Enumerable.Range(0, Inputs).Select(i => Signal(50 + 7 * i, i)).ToArray();
        float[][] bufferedInputs = Enumerable.Range(0, Inputs).Select(i => Signal(2 * (40 + 3 * i), -i)).ToArray();
        float[][] stackedExpected = stackedInputs.Select(x => { var y = new float[1]; stacked(x, y); return y; }).ToArray();
        float[][] bufferedExpected = bufferedInputs.Select(x => { var y = new float[2 * x.Length]; buffered(x, y); return y; }).ToArray();

        int mismatches = 0;
        long calls = 0;
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            float[] y1 = new float[1];
            float[] y2 = new float[2 * bufferedInputs.Max(x => x.Length)];
            for (int k = t; DateTime.UtcNow < deadline; k++)
            {
                int i = k % Inputs;
                stacked(stackedInputs[i], y1);
                if (BitConverter.SingleToInt32Bits(y1[0]) != BitConverter.SingleToInt32Bits(stackedExpected[i][0])) Interlocked.Increment(ref mismatches);
                Span<float> y = y2.AsSpan(0, bufferedExpected[i].Length);
                buffered(bufferedInputs[i], y);
                if (!y.SequenceEqual(bufferedExpected[i])) Interlocked.Increment(ref mismatches);
                Interlocked.Add(ref calls, 2);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        output.WriteLine($"{calls} calls on 8 threads, {mismatches} mismatches");
        Assert.Equal(0, mismatches);
        Assert.True(calls > 1000);
    }

    [Fact]
    public void NaN_in_the_input_propagates_to_every_later_output_as_in_Keras()
    {
        PredictFunc predict = Model("Buffered");
        float[] input = Signal(2 * 20, 0f);
        input[2 * 5 + 1] = float.NaN; // timestep 5, second feature
        float[] result = new float[4 * 20];
        predict(input, result);
        // The first layer runs forwards: steps 0-4 are clean, 5+ are NaN. The go_backwards layer then reads
        // them from step 19 down, so its very first output already saw a NaN: every output is NaN.
        Assert.All(result, v => Assert.True(float.IsNaN(v)));

        PredictFunc tutorial = Model("Tutorial");
        float[] x = Signal(10, 0f);
        x[9] = float.NaN;
        float[] y = new float[1];
        tutorial(x, y);
        Assert.True(float.IsNaN(y[0]));
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Infinite_input_gives_what_IEEE_arithmetic_gives(float x)
    {
        // The one-unit worked example has input weight 0 for the i gate: 0 · ±inf = NaN (as in Keras), so
        // the cell and the output become NaN; no exception, no hang.
        PredictFunc predict = Model("OneUnit");
        float[] y = new float[2];
        predict(new[] { x, 2f }, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.True(float.IsNaN(y[1]));
    }

    [Fact]
    public void A_reused_output_span_is_fully_overwritten()
    {
        PredictFunc predict = Model("Buffered");
        float[] input = Signal(2 * 30, 3f);
        float[] clean = new float[4 * 30];
        predict(input, clean);
        float[] dirty = Enumerable.Repeat(float.NaN, 4 * 30).ToArray();
        predict(input, dirty);
        Assert.Equal(clean, dirty);
    }
}
