using System;
using System.Reflection;

namespace LstmGen.Tests.Infrastructure;

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c> as a delegate.</summary>
internal delegate void PredictFunc(ReadOnlySpan<float> input, Span<float> output);

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;int&gt;, Span&lt;float&gt;)</c> of a model that starts with an Embedding.</summary>
internal delegate void TokenPredictFunc(ReadOnlySpan<int> input, Span<float> output);

internal static class GeneratedModel
{
    public static PredictFunc Predict(Assembly assembly, string typeName)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo? method = type.GetMethod("Predict", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<float>), typeof(Span<float>) });
        if (method is not null) return method.CreateDelegate<PredictFunc>();
        // An Embedding model takes token ids; the fixtures write them as (whole) numbers.
        TokenPredictFunc tokens = TokenPredict(assembly, typeName);
        return (input, output) =>
        {
            var ids = new int[input.Length];
            for (int i = 0; i < ids.Length; i++) ids[i] = checked((int)input[i]);
            tokens(ids, output);
        };
    }

    public static TokenPredictFunc TokenPredict(Assembly assembly, string typeName)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo method = type.GetMethod("Predict", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<int>), typeof(Span<float>) })
            ?? throw new InvalidOperationException($"{typeName} has no Predict(ReadOnlySpan<float>, Span<float>) or Predict(ReadOnlySpan<int>, Span<float>)");
        return method.CreateDelegate<TokenPredictFunc>();
    }

    public static T Constant<T>(Assembly assembly, string typeName, string name)
    {
        FieldInfo field = assembly.GetType(typeName, throwOnError: true)!.GetField(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{typeName} has no constant {name}");
        return (T)field.GetRawConstantValue()!;
    }
}
