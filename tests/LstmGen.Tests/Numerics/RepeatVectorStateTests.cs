using System;
using System.Linq;
using System.Reflection;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// Predict(input, output, ref State) on models with a RepeatVector (no Step: not causal): the State holds the
/// encoder and the decoder after the RepeatVector; the encoder continues across calls like any recurrent layer.
/// </summary>
public sealed class RepeatVectorStateTests
{
    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[]
        {
            """
            namespace Glue
            {
                using System;
                using System.Linq;

                [LstmGen.LstmModel("repeat.json")] public static partial class Repeat { }

                [LstmGen.LstmModel("autoencoder.json")] public static partial class Autoencoder { }

                public static class Driver
                {
                    /// <summary>The output of Predict(ref State) from a default State, then the encoder's final h from the State.</summary>
                    public static float[] RepeatWithState(float[] input)
                    {
                        Repeat.State state = default;
                        var output = new float[Repeat.OutputLength];
                        Repeat.Predict(input, output, ref state);
                        return output.Concat(state.Layer1Hidden.ToArray()).ToArray();
                    }

                    /// <summary>The sequence in two calls through one State: the encoder continues.</summary>
                    public static float[] RepeatInParts(float[] input, int split)
                    {
                        Repeat.State state = default;
                        var output = new float[Repeat.OutputLength];
                        Repeat.Predict(input.AsSpan(0, split * Repeat.InputFeatures), output, ref state);
                        Repeat.Predict(input.AsSpan(split * Repeat.InputFeatures), output, ref state);
                        return output;
                    }

                    /// <summary>
                    /// The sequence in two calls through one State, the decoder (layer 3, after the RepeatVector) reset
                    /// in between so that it starts from zero as in one call.
                    /// </summary>
                    public static float[] AutoencoderInParts(float[] input, int split)
                    {
                        Glue.Autoencoder.State state = default;
                        var output = new float[Glue.Autoencoder.OutputLength];
                        Glue.Autoencoder.Predict(input.AsSpan(0, split * Glue.Autoencoder.InputFeatures), output, ref state);
                        state.Layer3Hidden.Clear();
                        state.Layer3Cell.Clear();
                        Glue.Autoencoder.Predict(input.AsSpan(split * Glue.Autoencoder.InputFeatures), output, ref state);
                        return output;
                    }

                    public static float[] Autoencoder(float[] input)
                    {
                        var output = new float[Glue.Autoencoder.OutputLength];
                        Glue.Autoencoder.Predict(input, output);
                        return output;
                    }
                }
            }
            """,
        },
        new[]
        {
            ("/p/repeat.json", Fixtures.ModelJson("glue_repeat_vector_as_output")),
            ("/p/autoencoder.json", Fixtures.ModelJson("keras2_glue_autoencoder_variable_length")),
        }).Load());

    private static float[] Call(string method, params object[] args)
        => (float[])s_assembly.Value.GetType("Glue.Driver", throwOnError: true)!.GetMethod(method)!.Invoke(null, args)!;

    [Fact]
    public void The_state_holds_the_encoder_output_that_RepeatVector_repeats()
    {
        FixtureExpectation expected = Fixtures.Expected("glue_repeat_vector_as_output");
        foreach (FixtureCase c in expected.Cases)
        {
            float[] result = Call("RepeatWithState", c.Input);
            float[] output = result[..c.Output.Length], hidden = result[c.Output.Length..];
            ReferenceModelTests.AssertClose(c.Output, output, "Predict(ref State)");
            Assert.Equal(5, hidden.Length);
            for (int row = 0; row < 3; row++) Assert.Equal(hidden, output[(row * 5)..((row + 1) * 5)]);
        }
    }

    [Fact]
    public void The_encoder_continues_across_calls()
    {
        FixtureCase c = Fixtures.Expected("glue_repeat_vector_as_output").Cases[^1]; // 9 timesteps
        ReferenceModelTests.AssertClose(c.Output, Call("RepeatInParts", c.Input, 4), "two calls");
    }

    [Fact]
    public void An_autoencoder_fed_in_parts_equals_one_call_once_the_decoder_is_reset()
    {
        FixtureExpectation expected = Fixtures.Expected("keras2_glue_autoencoder_variable_length");
        FixtureCase c = expected.Cases.Single(x => x.Timesteps == 13);
        float[] whole = Call("Autoencoder", c.Input);
        ReferenceModelTests.AssertClose(c.Output, whole, "one call");
        Assert.Equal(whole, Call("AutoencoderInParts", c.Input, 5));
    }
}
