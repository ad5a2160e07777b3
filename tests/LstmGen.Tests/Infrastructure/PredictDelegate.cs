using System;
using System.Reflection;

namespace LstmGen.Tests.Infrastructure;

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c> as a delegate.</summary>
internal delegate void PredictFunc(ReadOnlySpan<float> input, Span<float> output);

/// <summary>The generated <c>PredictBatch(ReadOnlySpan&lt;float&gt;, int, Span&lt;float&gt;)</c> as a delegate.</summary>
internal delegate void PredictBatchFunc(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs);

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;int&gt;, Span&lt;float&gt;)</c> of a model that starts with an Embedding.</summary>
internal delegate void TokenPredictFunc(ReadOnlySpan<int> input, Span<float> output);

/// <summary>The generated <c>PredictBatch(ReadOnlySpan&lt;int&gt;, int, Span&lt;float&gt;)</c> of a model that starts with an Embedding.</summary>
internal delegate void TokenPredictBatchFunc(ReadOnlySpan<int> inputs, int batchSize, Span<float> outputs);

internal static class GeneratedModel
{
    public static PredictBatchFunc PredictBatch(Assembly assembly, string typeName)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo? method = type.GetMethod("PredictBatch", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<float>), typeof(int), typeof(Span<float>) });
        if (method is not null) return method.CreateDelegate<PredictBatchFunc>();
        // An Embedding model takes token ids; the tests write them as (whole) numbers.
        MethodInfo tokens = type.GetMethod("PredictBatch", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<int>), typeof(int), typeof(Span<float>) })
            ?? throw new InvalidOperationException($"{typeName} has no PredictBatch(ReadOnlySpan<float> or ReadOnlySpan<int>, int, Span<float>)");
        var batch = tokens.CreateDelegate<TokenPredictBatchFunc>();
        return (inputs, batchSize, outputs) =>
        {
            var ids = new int[inputs.Length];
            for (int i = 0; i < ids.Length; i++) ids[i] = checked((int)inputs[i]);
            batch(ids, batchSize, outputs);
        };
    }

    /// <summary>The vocabulary size of a model that starts with an Embedding, or null.</summary>
    public static int? VocabularySize(Assembly assembly, string typeName)
        => assembly.GetType(typeName, throwOnError: true)!.GetField("VocabularySize", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as int?;

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
