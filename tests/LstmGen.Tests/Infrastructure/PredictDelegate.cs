using System;
using System.Reflection;

namespace LstmGen.Tests.Infrastructure;

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c> as a delegate.</summary>
internal delegate void PredictFunc(ReadOnlySpan<float> input, Span<float> output);

/// <summary>The generated <c>PredictBatch(ReadOnlySpan&lt;float&gt;, int, Span&lt;float&gt;)</c> as a delegate.</summary>
internal delegate void PredictBatchFunc(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs);

internal static class GeneratedModel
{
    public static PredictBatchFunc PredictBatch(Assembly assembly, string typeName)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo method = type.GetMethod("PredictBatch", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<float>), typeof(int), typeof(Span<float>) })
            ?? throw new InvalidOperationException($"{typeName} has no PredictBatch(ReadOnlySpan<float>, int, Span<float>)");
        return method.CreateDelegate<PredictBatchFunc>();
    }

    public static PredictFunc Predict(Assembly assembly, string typeName)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo method = type.GetMethod("Predict", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<float>), typeof(Span<float>) })
            ?? throw new InvalidOperationException($"{typeName} has no Predict(ReadOnlySpan<float>, Span<float>)");
        return method.CreateDelegate<PredictFunc>();
    }

    public static T Constant<T>(Assembly assembly, string typeName, string name)
    {
        FieldInfo field = assembly.GetType(typeName, throwOnError: true)!.GetField(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{typeName} has no constant {name}");
        return (T)field.GetRawConstantValue()!;
    }
}
