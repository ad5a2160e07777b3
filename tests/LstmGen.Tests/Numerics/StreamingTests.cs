using System;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// The streaming API (issue 5): Step over a sequence gives exactly what Predict gives, streams with their own
/// State do not interfere, and a State carries a sequence across calls and round-trips through its spans.
/// Predict itself is checked against the independent references in <see cref="ReferenceModelTests"/>.
/// </summary>
public sealed class StreamingTests
{
    /// <summary>Fixtures without go_backwards: sequence and many-to-one, fixed and variable length, LSTM, GRU, SimpleRNN, wide layers, per-timestep glue layers, causal convolutions (also depthwise and separable).</summary>
    private static readonly string[] s_names =
    {
        "variable_length_sequence",
        "variable_length_last_output",
        "tutorial_3x_lstm10_t10",
        "gru_then_simple_rnn_relu",
        "torch_export_gru2_seq_softmax",
        "torch_export_lstm_wide_variable",
        "torch_export_rnn_wide",
        "worked_example_one_unit",
        // Per-timestep glue layers keep Step: TimeDistributed(Dense), BatchNormalization, LayerNormalization.
        "glue_td_layer_norm_variable_length",
        "glue_batch_norm_sequence_and_vector",
        "keras2_glue_layer_norm_no_scale_vector",
        // Causal Conv1D (dilated, grouped) and kernel-1 convolutions stream too: the State keeps their last input rows.
        "conv_causal_k3_f16_rnn_seq_variable",
        "conv_dilation2_causal_k5_conv_last_variable",
        "conv_groups3_causal_pointwise_variable",
        "conv_inference_noops_variable",
        "conv_cnn_lstm_benchmark_small",
        "conv_k1_f32_relu_lstm",
        // SeparableConv1D streams as its two convolutions (a causal depthwise one with a history, then a kernel-1
        // one); so does a kernel-1 DepthwiseConv1D.
        "conv_separable_causal_dm2_gru_seq_variable",
        "conv_depthwise_k1_then_separable_causal_variable",
        // Functional graphs stream when every branch is causal: residual Add, a causal Conv1D beside an LSTM,
        // a diamond, merged last states, a merge as the output.
        "graph_residual_lstm_add_variable",
        "graph_residual_lstm_add_last",
        "graph_concat_conv_lstm_variable",
        "graph_diamond_deep_variable",
        "graph_vector_merge_concat",
        "graph_subtract_keras3",
        "graph_add_seq_output_variable",
        "graph_separable_residual_add",
    };

    public static TheoryData<string> Models => new(s_names);

    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        var source = new StringBuilder();
        var files = new System.Collections.Generic.List<(string, string)>();
        foreach (string name in s_names)
        {
            files.Add(($"/p/{name}.json", Fixtures.ModelJson(name)));
            source.Append($$"""
                namespace Streaming
                {
                    using System;

                    [LstmGen.LstmModel("{{name}}.json")] public static partial class M_{{name}} { }

                    public static class Driver_{{name}}
                    {
                        private const int F = M_{{name}}.InputFeatures, O = M_{{name}}.OutputUnits;

                        public static float[] Predict(float[] input, int outputLength)
                        {
                            var output = new float[outputLength];
                            M_{{name}}.Predict(input, output);
                            return output;
                        }

                        public static float[] StepAll(float[] input)
                        {
                            var state = default(M_{{name}}.State);
                            int steps = input.Length / F;
                            var output = new float[steps * O];
                            for (int t = 0; t < steps; t++) M_{{name}}.Step(ref state, input.AsSpan(t * F, F), output.AsSpan(t * O, O));
                            return output;
                        }

                        /// <summary>Bytes allocated by 1000 passes of Step over the input, after a warm-up (fewest of 5 rounds).</summary>
                        public static float[] StepAllocations(float[] input)
                        {
                            var state = default(M_{{name}}.State);
                            var output = new float[O];
                            int steps = input.Length / F;
                            long fewest = long.MaxValue;
                            for (int round = 0; round < 6; round++)
                            {
                                long before = GC.GetAllocatedBytesForCurrentThread();
                                for (int i = 0; i < 1000; i++) M_{{name}}.Step(ref state, input.AsSpan((i % steps) * F, F), output);
                                if (round > 0) fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                            }
                            return new float[] { fewest };
                        }

                        /// <summary>Bytes allocated by 20 calls of Predict on the input, after a warm-up (fewest of 5 rounds).</summary>
                        public static float[] PredictAllocations(float[] input, int outputLength)
                        {
                            var output = new float[outputLength];
                            long fewest = long.MaxValue;
                            for (int round = 0; round < 6; round++)
                            {
                                long before = GC.GetAllocatedBytesForCurrentThread();
                                for (int i = 0; i < 20; i++) M_{{name}}.Predict(input, output);
                                if (round > 0) fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                            }
                            return new float[] { fewest };
                        }

                        /// <summary>Two streams stepped alternately, each with its own State; outputs concatenated.</summary>
                        public static float[] Interleaved(float[] a, float[] b)
                        {
                            M_{{name}}.State sa = default, sb = default;
                            int steps = a.Length / F;
                            var output = new float[2 * steps * O];
                            for (int t = 0; t < steps; t++)
                            {
                                M_{{name}}.Step(ref sa, a.AsSpan(t * F, F), output.AsSpan(t * O, O));
                                M_{{name}}.Step(ref sb, b.AsSpan(t * F, F), output.AsSpan((steps + t) * O, O));
                            }
                            return output;
                        }

                        /// <summary>
                        /// The first steps through Predict(ref State), the state copied through its spans into a fresh
                        /// State, the rest stepped: the last output.
                        /// </summary>
                        public static float[] PredictThenStep(float[] input, int split, int firstOutputLength)
                        {
                            M_{{name}}.State first = default;
                            M_{{name}}.Predict(input.AsSpan(0, split * F), new float[firstOutputLength], ref first);
                            M_{{name}}.State copy = default;
                            first.AsSpan().CopyTo(copy.AsSpan());
                            var output = new float[O];
                            for (int t = split; t < input.Length / F; t++) M_{{name}}.Step(ref copy, input.AsSpan(t * F, F), output);
                            return output;
                        }
                    }
                }

                """);
        }
        return GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray()).Load();
    });

    private static float[] Call(string name, string method, params object[] args)
        => (float[])s_assembly.Value.GetType("Streaming.Driver_" + name, throwOnError: true)!.GetMethod(method)!.Invoke(null, args)!;

    private static int Constant(string name, string constant)
        => GeneratedModel.Constant<int>(s_assembly.Value, "Streaming.M_" + name, constant);

    [Theory]
    [MemberData(nameof(Models))]
    public void Step_over_a_sequence_gives_exactly_what_Predict_gives(string name)
    {
        FixtureExpectation expected = Fixtures.Expected(name);
        int units = Constant(name, "OutputUnits");
        bool sequence = GeneratedModel.Constant<bool>(s_assembly.Value, "Streaming.M_" + name, "OutputIsSequence");
        foreach (FixtureCase c in expected.Cases)
        {
            float[] stepped = Call(name, "StepAll", c.Input);
            if (sequence)
            {
                // Row t of Predict's sequence output, bit for bit.
                Assert.Equal(Call(name, "Predict", c.Input, c.Timesteps * units), stepped);
            }
            else
            {
                // The last step equals Predict on the whole sequence; every earlier step, on the prefix (when the
                // model takes any length).
                Assert.Equal(Call(name, "Predict", c.Input, units), stepped[^units..]);
                bool variable = s_assembly.Value.GetType("Streaming.M_" + name)!.GetField("Timesteps") is null;
                for (int t = 1; variable && t < c.Timesteps; t++)
                {
                    Assert.Equal(Call(name, "Predict", c.Input[..(t * expected.Features)], units), stepped[((t - 1) * units)..(t * units)]);
                }
            }
            // And both match the independent reference at the end.
            Assert.True(MathF.Abs(stepped[^1] - c.Output[^1]) <= Math.Max(1e-5f, 1e-4f * MathF.Abs(c.Output[^1])));
        }
    }

    /// <summary>
    /// A variable-length graph on 3,000 timesteps keeps its layers' whole outputs in one array from ArrayPool:
    /// Predict allocates nothing once warm.
    /// </summary>
    [Theory]
    [InlineData("graph_residual_lstm_add_variable")]
    [InlineData("graph_concat_conv_lstm_variable")]
    [InlineData("graph_add_seq_output_variable")]
    public void Predict_of_a_long_graph_sequence_allocates_nothing_once_warm(string name)
    {
        FixtureExpectation expected = Fixtures.Expected(name);
        const int steps = 3000;
        float[] row = expected.Cases[^1].Input;
        float[] input = Enumerable.Range(0, steps * expected.Features).Select(i => row[i % row.Length]).ToArray();
        int units = Constant(name, "OutputUnits");
        bool sequence = GeneratedModel.Constant<bool>(s_assembly.Value, "Streaming.M_" + name, "OutputIsSequence");
        Assert.Equal(0f, Call(name, "PredictAllocations", input, sequence ? steps * units : units)[0]);
    }

    [Fact]
    public void A_private_nested_model_class_gets_the_streaming_api_too()
    {
        // The generated file-local class must not name the State type, which is as private as the class here.
        const string Source = """
            public partial class Outer
            {
                [LstmGen.LstmModel("m.json")] private static partial class Inner { }

                public static float Run()
                {
                    var state = default(Inner.State);
                    var y = new float[Inner.OutputUnits];
                    Inner.Step(ref state, new[] { 2f }, y);
                    return y[0];
                }
            }
            """;
        var assembly = GeneratorHarness.Run(Source, ("/p/m.json", Fixtures.ModelJson("worked_example_one_unit"))).Load();
        float h = (float)assembly.GetType("Outer")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(0.6124943f, h, 6); // the hand-derived worked example
    }

    [Fact]
    public void Eight_threads_stepping_their_own_streams_get_exactly_the_serial_results()
    {
        var stepAll = s_assembly.Value.GetType("Streaming.Driver_gru_then_simple_rnn_relu", throwOnError: true)!
            .GetMethod("StepAll")!.CreateDelegate<Func<float[], float[]>>();
        float[] seed = Fixtures.Expected("gru_then_simple_rnn_relu").Cases[^1].Input;
        float[][] inputs = Enumerable.Range(0, 16).Select(k => seed.Select((v, i) => MathF.Sin(v * (k + 1) + i)).ToArray()).ToArray();
        float[][] serial = inputs.Select(stepAll).ToArray();

        int mismatches = 0;
        long runs = 0;
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var threads = Enumerable.Range(0, 8).Select(t => new System.Threading.Thread(() =>
        {
            for (int k = t; DateTime.UtcNow < deadline; k++)
            {
                int i = k % inputs.Length;
                if (!stepAll(inputs[i]).AsSpan().SequenceEqual(serial[i])) System.Threading.Interlocked.Increment(ref mismatches);
                System.Threading.Interlocked.Increment(ref runs);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, mismatches);
        Assert.True(runs > 100, runs + " runs");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Step_allocates_nothing(string name)
        => Assert.Equal(0f, Call(name, "StepAllocations", Fixtures.Expected(name).Cases[^1].Input)[0]);

    [Theory]
    [MemberData(nameof(Models))]
    public void Interleaved_streams_with_their_own_state_match_separate_runs(string name)
    {
        FixtureExpectation expected = Fixtures.Expected(name);
        float[] a = expected.Cases[^1].Input;
        float[] b = a.Select((v, i) => MathF.Sin(v + i)).ToArray();
        float[] together = Call(name, "Interleaved", a, b);
        Assert.Equal(Call(name, "StepAll", a).Concat(Call(name, "StepAll", b)), together);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_state_carries_the_sequence_across_calls_and_round_trips_through_its_spans(string name)
    {
        FixtureExpectation expected = Fixtures.Expected(name);
        FixtureCase c = expected.Cases.OrderBy(x => x.Timesteps).Last();
        if (c.Timesteps < 2 || s_assembly.Value.GetType("Streaming.M_" + name)!.GetField("Timesteps") is not null)
        {
            return; // Predict(ref State) on a part needs a variable-length model of at least two steps
        }
        int units = Constant(name, "OutputUnits");
        bool sequence = GeneratedModel.Constant<bool>(s_assembly.Value, "Streaming.M_" + name, "OutputIsSequence");
        int split = c.Timesteps / 2;
        float[] resumed = Call(name, "PredictThenStep", c.Input, split, sequence ? split * units : units);
        float[] stepped = Call(name, "StepAll", c.Input);
        Assert.Equal(stepped[^units..], resumed);
    }
}
