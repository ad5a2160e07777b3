using System;
using System.Collections.Immutable;
using System.Reflection;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Emitting;

/// <summary>
/// The planner and the emitter fed a model built in code, with no JSON and no parser in between: the records the
/// parser would make (<see cref="ModelSpec"/>, <see cref="LstmLayerSpec"/>, <see cref="Tensor"/>,
/// <see cref="TargetSpec"/>) go through <see cref="Planner.Plan"/> and <see cref="ModelEmitter.Emit"/> as the
/// generator's emit step runs them, and the source is compiled with the runtime library and run.
/// </summary>
public sealed class HandBuiltModelTests
{
    /// <summary>
    /// The one-unit LSTM worked by hand (as in WorkedExampleTests, which reads it from JSON): x = 2, kernel
    /// [0, 1, 4, 1], recurrent kernel [3, 2, -5, 4], bias [1, 2, 3, 2], gates in Keras's order i, f, c, o, one timestep
    /// from h = c = 0. Then i = σ(0·2 + 1), f = σ(1·2 + 2), c̃ = tanh(4·2 + 3), o = σ(1·2 + 2);
    /// c = f·0 + i·c̃ = σ(1)·tanh(11) = 0.7310586 and h = o·tanh(c) = σ(4)·tanh(0.7310586) = 0.6124943.
    /// </summary>
    [Fact]
    public void Hand_built_one_unit_lstm_gives_the_hand_derived_cell_and_hidden_state()
    {
        var lstm = new LstmLayerSpec(
            Name: "lstm",
            InputSize: 1,
            Units: 1,
            Activation: Activation.Tanh,
            RecurrentActivation: Activation.Sigmoid,
            ReturnSequences: false,
            GoBackwards: false,
            Kernel: new Tensor(new[] { 0f, 1f, 4f, 1f }, new[] { 1, 4 }),
            RecurrentKernel: new Tensor(new[] { 3f, 2f, -5f, 4f }, new[] { 1, 4 }),
            Bias: new Tensor(new[] { 1f, 2f, 3f, 2f }, new[] { 4 }));
        var model = new ModelSpec("worked.json", "built in code", Timesteps: 1, Features: 1, new EquatableArray<LayerSpec>(new LayerSpec[] { lstm }));
        var target = new TargetSpec(
            Namespace: null,
            ContainingTypes: EquatableArray<string>.Empty,
            Declaration: "static partial class Worked",
            TypeName: "Worked",
            FullName: "global::Worked",
            ModelPath: "worked.json",
            Unroll: false,
            WeightsPath: null,
            SourceFilePath: null,
            PathLocation: null,
            Diagnostics: EquatableArray<DiagnosticInfo>.Empty);

        ModelPlan plan = Planner.Plan(target, model, StringBudget.AssemblyFloats, debugBuild: false);
        Assert.True(plan.WithStep, plan.WhyNoState ?? plan.WhyNoStep);
        string source = ModelEmitter.Emit(target, model, plan);

        const string Probe = """
            public static partial class Worked { }

            public static class Probe
            {
                /// <summary>[Predict's output, then h and c as Predict leaves them in the State, then Step's output].</summary>
                public static float[] Run(float x)
                {
                    float[] output = new float[1];
                    Worked.State state = default;
                    Worked.Predict(new[] { x }, output, ref state);
                    float[] step = new float[1];
                    Worked.State stream = default;
                    Worked.Step(ref stream, new[] { x }, step);
                    return new[] { output[0], state.Layer1Hidden[0], state.Layer1Cell[0], step[0] };
                }
            }
            """;
        Assembly assembly = GeneratorHarness.Load(GeneratorHarness.CreateCompilation(Probe, source), ImmutableArray<Diagnostic>.Empty);
        var run = assembly.GetType("Probe", throwOnError: true)!.GetMethod("Run")!.CreateDelegate<Func<float, float[]>>();

        float[] result = run(2f);

        Assert.Equal(0.6124943f, result[0], 6); // h, the output
        Assert.Equal(result[0], result[1]);     // the State's h is the output
        Assert.Equal(0.7310586f, result[2], 6); // c
        Assert.Equal(result[0], result[3]);     // one Step from a new stream is the whole sequence
    }
}
