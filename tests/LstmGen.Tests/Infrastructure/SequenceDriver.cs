using System;
using System.Reflection;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// A <c>Driver{Name}</c> class compiled beside a generated model, so tests call Predict, Step over a whole sequence
/// and PredictBatch on float arrays through reflection (Step takes the model's own State by ref, which a delegate
/// of the test assembly cannot name), and the check that Step and every batch row give Predict's floats.
/// </summary>
internal static class SequenceDriver
{
    /// <summary>The driver of model class <paramref name="name"/>: Predict, StepAll (one output row per step) and PredictBatch.</summary>
    public static string Source(string name) => $$"""
        public static class Driver{{name}}
        {
            public static float[] Predict(float[] input)
            {
                var output = new float[{{name}}.OutputIsSequence ? input.Length / {{name}}.InputFeatures * {{name}}.OutputUnits : {{name}}.OutputUnits];
                {{name}}.Predict(input, output);
                return output;
            }

            public static float[] StepAll(float[] input)
            {
                var state = default({{name}}.State);
                int steps = input.Length / {{name}}.InputFeatures;
                var output = new float[steps * {{name}}.OutputUnits];
                for (int t = 0; t < steps; t++) {{name}}.Step(ref state, input.AsSpan(t * {{name}}.InputFeatures, {{name}}.InputFeatures), output.AsSpan(t * {{name}}.OutputUnits, {{name}}.OutputUnits));
                return output;
            }

            public static float[] PredictBatch(float[] inputs, int batch)
            {
                int per = {{name}}.OutputIsSequence ? inputs.Length / batch / {{name}}.InputFeatures * {{name}}.OutputUnits : {{name}}.OutputUnits;
                var outputs = new float[batch * per];
                {{name}}.PredictBatch(inputs, batch, outputs);
                return outputs;
            }
        }

        """;

    /// <summary>Calls <c>Driver{name}.{method}</c>.</summary>
    public static float[] Call(Assembly assembly, string name, string method, params object[] arguments)
    {
        Type driver = assembly.GetType("Driver" + name, throwOnError: true)!;
        return (float[])driver.GetMethod(method)!.Invoke(null, arguments)!;
    }

    /// <summary>
    /// Step over each sequence of <paramref name="inputs"/> and each row of PredictBatch equal Predict on that sequence
    /// bit for bit; for a many-to-one model Predict is Step's output after the last step.
    /// </summary>
    public static void AssertStepAndBatchRowsEqualPredict(Assembly assembly, string name, float[] inputs, int batch)
    {
        float[] rows = Call(assembly, name, "PredictBatch", inputs, batch);
        int rowLength = rows.Length / batch, sequenceLength = inputs.Length / batch;
        for (int b = 0; b < batch; b++)
        {
            float[] input = inputs.AsSpan(b * sequenceLength, sequenceLength).ToArray();
            float[] predicted = Call(assembly, name, "Predict", input);
            float[] stepped = Call(assembly, name, "StepAll", input);
            float[] last = stepped.AsSpan(stepped.Length - predicted.Length).ToArray();
            for (int i = 0; i < predicted.Length; i++)
            {
                int bits = BitConverter.SingleToInt32Bits(predicted[i]);
                Assert.True(bits == BitConverter.SingleToInt32Bits(last[i]), $"{name}, sequence {b}, value {i}: Step gave {last[i]:R}, Predict {predicted[i]:R}");
                Assert.True(bits == BitConverter.SingleToInt32Bits(rows[(b * rowLength) + i]), $"{name}, sequence {b}, value {i}: PredictBatch gave {rows[(b * rowLength) + i]:R}, Predict {predicted[i]:R}");
            }
        }
    }
}
