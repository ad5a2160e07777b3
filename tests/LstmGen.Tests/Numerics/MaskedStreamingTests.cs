using System;
using System.Linq;
using System.Reflection;
using System.Text;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Masking and Embedding models through the streaming API: Step over a masked sequence (or over token ids)
/// gives exactly what Predict gives, a masked step leaves the State as it was, and token ids out of range throw
/// before anything is written. Predict itself is checked against tfjs / PyTorch in <see cref="ReferenceModelTests"/>.
/// </summary>
public sealed class MaskedStreamingTests
{
    /// <summary>Causal masked fixtures: name and how a timestep is masked (the Masking value, or null: token id 0).</summary>
    private static readonly (string Name, float? MaskValue, bool Tokens)[] s_models =
    {
        ("mask_lstm_seq_start_middle_end", 0f, false),
        ("mask_lstm_last_and_fully_masked", 0f, false),
        ("mask_gru_dense_simple_rnn_stack", -1f, false),
        ("mask_lstm_units7_variable_length", 0f, false),
        ("keras3_mask_gru_reset_after_last", 0.5f, false),
        ("mask_gru_variable_last", 0f, false),
        ("mask_dense_before_lstm", 0f, false),
        ("keras3_functional_embedding_mask_zero_lstm", null, true),
        ("embedding_lstm_ids", null, true),
        ("embedding_mask_zero_gru_seq", null, true),
        ("embedding_mask_zero_variable_rnn", null, true),
    };

    public static TheoryData<string> Models => new(s_models.Select(m => m.Name));

    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        var source = new StringBuilder();
        var files = new System.Collections.Generic.List<(string, string)>();
        foreach ((string name, _, bool tokens) in s_models)
        {
            files.Add(($"/p/{name}.json", Fixtures.ModelJson(name)));
            // The drivers take the fixture's numbers as floats; token-id models get them as ints.
            string type = tokens ? "int" : "float";
            string convert = tokens ? "Array.ConvertAll(values, v => checked((int)v))" : "values";
            source.Append($$"""
                namespace Masked
                {
                    using System;

                    [LstmGen.LstmModel("{{name}}.json")] public static partial class M_{{name}} { }

                    public static class Driver_{{name}}
                    {
                        private const int F = M_{{name}}.InputFeatures, O = M_{{name}}.OutputUnits;

                        public static float[] Predict(float[] values, int outputLength)
                        {
                            {{type}}[] input = {{convert}};
                            var output = new float[outputLength];
                            M_{{name}}.Predict(input, output);
                            return output;
                        }

                        public static float[] StepAll(float[] values)
                        {
                            {{type}}[] input = {{convert}};
                            var state = default(M_{{name}}.State);
                            int steps = input.Length / F;
                            var output = new float[steps * O];
                            for (int t = 0; t < steps; t++) M_{{name}}.Step(ref state, input.AsSpan(t * F, F), output.AsSpan(t * O, O));
                            return output;
                        }

                        /// <summary>Bytes allocated by 200 Predict calls and 1000 Steps over the input, after a warm-up (fewest of 5 rounds).</summary>
                        public static float[] Allocations(float[] values, int outputLength)
                        {
                            {{type}}[] input = {{convert}};
                            var state = default(M_{{name}}.State);
                            var output = new float[outputLength];
                            int steps = input.Length / F;
                            long fewest = long.MaxValue;
                            for (int round = 0; round < 6; round++)
                            {
                                long before = GC.GetAllocatedBytesForCurrentThread();
                                for (int i = 0; i < 200; i++) M_{{name}}.Predict(input, output);
                                for (int i = 0; i < 1000; i++) M_{{name}}.Step(ref state, input.AsSpan((i % steps) * F, F), output.AsSpan(0, O));
                                if (round > 0) fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                            }
                            return new float[] { fewest };
                        }

                        /// <summary>The first steps through Predict(ref State), the rest stepped from that State: the last output.</summary>
                        public static float[] PredictThenStep(float[] values, int split, int firstOutputLength)
                        {
                            {{type}}[] input = {{convert}};
                            M_{{name}}.State state = default;
                            M_{{name}}.Predict(input.AsSpan(0, split * F), new float[firstOutputLength], ref state);
                            var output = new float[O];
                            for (int t = split; t < input.Length / F; t++) M_{{name}}.Step(ref state, input.AsSpan(t * F, F), output);
                            return output;
                        }

                        /// <summary>For each step: 1 when Step changed the State, 0 when it left every float as it was.</summary>
                        public static float[] StateChanged(float[] values)
                        {
                            {{type}}[] input = {{convert}};
                            var state = default(M_{{name}}.State);
                            int steps = input.Length / F;
                            var changed = new float[steps];
                            var output = new float[O];
                            for (int t = 0; t < steps; t++)
                            {
                                float[] before = state.AsSpan().ToArray();
                                M_{{name}}.Step(ref state, input.AsSpan(t * F, F), output);
                                changed[t] = state.AsSpan().SequenceEqual(before) ? 0 : 1;
                            }
                            return changed;
                        }
                    }
                }

                """);
        }
        return GeneratorHarness.Run(new[] { source.ToString() }, files.ToArray()).Load();
    });

    private static float[] Call(string name, string method, params object[] args)
        => (float[])s_assembly.Value.GetType("Masked.Driver_" + name, throwOnError: true)!.GetMethod(method)!.Invoke(null, args)!;

    [Theory]
    [MemberData(nameof(Models))]
    public void Step_over_a_masked_sequence_gives_exactly_what_Predict_gives(string name)
    {
        FixtureExpectation expected = Fixtures.Expected(name);
        Type model = s_assembly.Value.GetType("Masked.M_" + name, throwOnError: true)!;
        int units = GeneratedModel.Constant<int>(s_assembly.Value, "Masked.M_" + name, "OutputUnits");
        bool sequence = GeneratedModel.Constant<bool>(s_assembly.Value, "Masked.M_" + name, "OutputIsSequence");
        bool variable = model.GetField("Timesteps") is null;
        foreach (FixtureCase c in expected.Cases)
        {
            float[] stepped = Call(name, "StepAll", c.Input);
            if (sequence)
            {
                Assert.Equal(Call(name, "Predict", c.Input, c.Timesteps * units), stepped);
            }
            else
            {
                Assert.Equal(Call(name, "Predict", c.Input, units), stepped[^units..]);
                for (int t = 1; variable && t < c.Timesteps; t++)
                {
                    Assert.Equal(Call(name, "Predict", c.Input[..(t * expected.Features)], units), stepped[((t - 1) * units)..(t * units)]);
                }
            }
            // The last step also matches the independent reference.
            Assert.True(MathF.Abs(stepped[^1] - c.Output[^1]) <= Math.Max(1e-5f, 1e-4f * MathF.Abs(c.Output[^1])), name);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_masked_step_leaves_the_state_unchanged_and_an_unmasked_one_changes_it(string name)
    {
        (_, float? maskValue, bool tokens) = s_models.Single(m => m.Name == name);
        bool maskZero = Fixtures.ModelJson(name).Contains("\"mask_zero\": true", StringComparison.Ordinal);
        FixtureExpectation expected = Fixtures.Expected(name);
        int f = expected.Features;
        int maskedSteps = 0;
        foreach (FixtureCase c in expected.Cases)
        {
            float[] changed = Call(name, "StateChanged", c.Input);
            for (int t = 0; t < c.Timesteps; t++)
            {
                float[] row = c.Input[(t * f)..((t + 1) * f)];
                bool masked = tokens ? maskZero && row[0] == 0 : row.All(v => v == maskValue);
                maskedSteps += masked ? 1 : 0;
                Assert.True(masked ? changed[t] == 0 : changed[t] == 1, $"{name} T={c.Timesteps} step {t}: masked={masked}, changed={changed[t]}");
            }
        }
        Assert.True(maskedSteps > 0 || !maskZero && tokens, name + " has no masked step to test");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_masked_sequence_fed_in_parts_through_Predict_ref_State_then_Step_ends_as_stepped_whole(string name)
    {
        Type model = s_assembly.Value.GetType("Masked.M_" + name, throwOnError: true)!;
        if (model.GetField("Timesteps") is not null) return; // Predict(ref State) on a part needs a variable-length model
        int units = GeneratedModel.Constant<int>(s_assembly.Value, "Masked.M_" + name, "OutputUnits");
        bool sequence = GeneratedModel.Constant<bool>(s_assembly.Value, "Masked.M_" + name, "OutputIsSequence");
        int checkedCases = 0;
        foreach (FixtureCase c in Fixtures.Expected(name).Cases.Where(c => c.Timesteps >= 2))
        {
            for (int split = 1; split < c.Timesteps; split += Math.Max(1, c.Timesteps / 4))
            {
                float[] resumed = Call(name, "PredictThenStep", c.Input, split, sequence ? split * units : units);
                Assert.Equal(Call(name, "StepAll", c.Input)[^units..], resumed);
            }
            checkedCases++;
        }
        Assert.True(checkedCases > 0, name);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Masked_predict_and_step_allocate_nothing(string name)
    {
        FixtureCase c = Fixtures.Expected(name).Cases[^1];
        Assert.Equal(0f, Call(name, "Allocations", c.Input, c.Output.Length)[0]);
    }

    [Fact]
    public void A_token_id_out_of_range_throws_naming_the_id_and_the_vocabulary_size_before_writing()
    {
        // embedding_lstm_ids: Embedding(input_dim 20), 6 timesteps.
        Assert.Equal(20, GeneratedModel.Constant<int>(s_assembly.Value, "Masked.M_embedding_lstm_ids", "VocabularySize"));
        TokenPredictFunc predict = GeneratedModel.TokenPredict(s_assembly.Value, "Masked.M_embedding_lstm_ids");
        foreach (int bad in new[] { -1, 20, int.MaxValue, int.MinValue })
        {
            int[] ids = { 1, 2, 3, bad, 4, 5 };
            var output = new float[] { 42f, 42f, 42f, 42f, 42f };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => predict(ids, output));
            Assert.Contains("Token id " + bad.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", e.Message);
            Assert.Contains("vocabulary of 20 ids", e.Message);
            Assert.Equal("input", e.ParamName);
            Assert.All(output, v => Assert.Equal(42f, v));
        }

        // Step checks its one id the same way.
        string text = StepWithId(20);
        Assert.Contains("Token id 20 ", text);
        Assert.Contains("vocabulary of 20 ids", text);
        Assert.Equal("no exception", StepWithId(19));
    }

    /// <summary>Calls Step(ref State, [id], output) through a small compiled helper and returns the exception message.</summary>
    private static string StepWithId(int id)
    {
        var helper = GeneratorHarness.Run("""
            public static partial class Probe
            {
                [LstmGen.LstmModel("m.json")] public static partial class M { }

                public static string Run(int id)
                {
                    var state = default(M.State);
                    try { M.Step(ref state, new[] { id }, new float[M.OutputUnits]); return "no exception"; }
                    catch (System.ArgumentOutOfRangeException e) { return e.Message; }
                }
            }
            """, ("/p/m.json", Fixtures.ModelJson("embedding_lstm_ids"))).Load();
        return (string)helper.GetType("Probe")!.GetMethod("Run")!.Invoke(null, new object[] { id })!;
    }
}
