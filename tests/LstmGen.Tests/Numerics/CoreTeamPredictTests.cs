using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// <c>Predict(input, output, CoreTeam)</c>: the large LSTMs' timesteps split among a team's threads (by blocks of units
/// with their cells, or by gate columns where the blocks do not split evenly) and the large GRUs' (the same, with one
/// or two meetings per timestep) give Predict's numbers bit for bit, for
/// every team size, length and layout of layers; a busy team still gives them;
/// small models get no such overload; a warm call allocates nothing.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class CoreTeamPredictTests
{
    private delegate void TeamPredictFunc(ReadOnlySpan<float> input, Span<float> output, CoreTeam team);

    private static readonly SeededModelJson s_json = new(seed: 17);

    private static readonly (string Name, string Json)[] s_models =
    {
        // 256 units: U is 1 MB, the smallest that splits; eight panels of gate columns.
        ("Wide", SeededModelJson.Model("[null, null, 16]", s_json.Lstm(16, 256, returnSequences: false), s_json.Dense(256, 3))),
        // Two stacked layers returning sequences, a Dense per timestep between them, the second 288 units (nine panels:
        // the parts are not equal).
        ("Stacked", SeededModelJson.Model("[null, null, 8]",
            s_json.Lstm(8, 256, returnSequences: true),
            s_json.Layer("TimeDistributed", "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 32, \"activation\": \"tanh\"}}", $"[{s_json.Weights(256, 32)}, {s_json.Weights(32)}]"),
            s_json.Lstm(32, 288, returnSequences: true))),
        // 384 units, three blocks of 128: two threads share the columns (the blocks do not split evenly), three the units.
        ("Uneven", SeededModelJson.Model("[null, null, 2]", s_json.Lstm(2, 384, returnSequences: true))),
        // GRUs of 384 units (U_zr and U_h, 1.7 MB), three blocks of 128: three threads split the units, two and four share
        // the columns; both reset_after forms (one meeting per timestep, or two around the reset), after an LSTM that the
        // team splits by units.
        ("GruAfter", SeededModelJson.Model("[null, null, 3]", s_json.Lstm(3, 256, returnSequences: true), s_json.Gru(256, 384, returnSequences: true, resetAfter: true))),
        ("GruBefore", SeededModelJson.Model("[null, null, 5]", s_json.Gru(5, 384, returnSequences: false, resetAfter: false), s_json.Dense(384, 2))),
        // After a GRU, which runs on the caller.
        ("AfterGru", SeededModelJson.Model("[null, 12, 4]", s_json.Gru(4, 8, returnSequences: true), s_json.Lstm(8, 256, returnSequences: false))),
        // 128 units (a 256 KB matrix): the team would cost more than it saves, so there is no overload.
        ("Small", SeededModelJson.Model("[null, null, 3]", s_json.Lstm(3, 128, returnSequences: false))),
    };

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(
        new[] { "namespace TeamPredict;\n" + string.Concat(s_models.Select(m => $"[LstmGen.LstmModel(\"Models/{m.Name}.json\")] public static partial class {m.Name} {{ }}\n")) },
        s_models.Select(m => ($"/p/Models/{m.Name}.json", m.Json)).ToArray()).Load());

    private static MethodInfo? TeamMethod(string name)
        => s_assembly.Value.GetType("TeamPredict." + name, throwOnError: true)!
            .GetMethod("Predict", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ReadOnlySpan<float>), typeof(Span<float>), typeof(CoreTeam) });

    private static TeamPredictFunc WithTeam(string name)
        => (TeamMethod(name) ?? throw new InvalidOperationException($"{name} has no Predict with a CoreTeam")).CreateDelegate<TeamPredictFunc>();

    private static PredictFunc Alone(string name) => GeneratedModel.Predict(s_assembly.Value, "TeamPredict." + name);

    private static int Features(string name) => GeneratedModel.Constant<int>(s_assembly.Value, "TeamPredict." + name, "InputFeatures");

    private static float[] Input(int floats, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, floats).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData("Wide")]
    [InlineData("Stacked")]
    [InlineData("Uneven")]
    [InlineData("GruAfter")]
    [InlineData("GruBefore")]
    [InlineData("AfterGru")]
    public void Every_team_size_gives_Predicts_numbers_bit_for_bit(string model)
    {
        int[] lengths = model == "AfterGru" ? new[] { 12 } : new[] { 1, 5, 37 };
        foreach (int threads in new[] { 1, 2, 3, 4 })
        {
            using var team = new CoreTeam(threads);
            foreach (int timesteps in lengths)
            {
                float[] input = Input(timesteps * Features(model), seed: timesteps + threads);
                float[] expected = new float[16384], actual = new float[16384];
                Alone(model)(input, expected);
                WithTeam(model)(input, actual, team);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{model}, T={timesteps}, {threads} threads: the outputs differ from Predict");
            }
        }
    }

    [Theory]
    [InlineData("GruAfter", 3 * 384)]
    [InlineData("GruBefore", 2)]
    public void Large_grus_alternating_their_walks_give_the_batch_rows_bits(string model, int outputFloats)
    {
        // Predict walks a large GRU's matrices last first at odd timesteps (and the team's threads their columns);
        // PredictBatch walks them in one direction. Each column is the same sum either way, so every row of a batch
        // equals Predict (alone and with a team) on that sequence bit for bit.
        const int Timesteps = 3, Batch = 3;
        int features = Features(model);
        float[] inputs = Input(Batch * Timesteps * features, seed: 41);
        float[] rows = new float[Batch * outputFloats];
        GeneratedModel.PredictBatch(s_assembly.Value, "TeamPredict." + model)(inputs, Batch, rows);
        using var team = new CoreTeam(2);
        for (int b = 0; b < Batch; b++)
        {
            float[] alone = new float[outputFloats], withTeam = new float[outputFloats];
            ReadOnlySpan<float> sequence = inputs.AsSpan(b * Timesteps * features, Timesteps * features);
            Alone(model)(sequence, alone);
            WithTeam(model)(sequence, withTeam, team);
            Assert.True(rows.AsSpan(b * outputFloats, outputFloats).SequenceEqual(alone), $"{model}, sequence {b}: Predict differs from the batch row");
            Assert.Equal(alone, withTeam);
        }
    }

    [Fact]
    public void A_team_used_from_two_threads_at_once_still_gives_Predicts_numbers()
    {
        using var team = new CoreTeam(2);
        float[][] inputs = Enumerable.Range(0, 8).Select(i => Input(20 * 16, seed: 100 + i)).ToArray();
        float[][] expected = inputs.Select(input =>
        {
            var output = new float[3];
            Alone("Wide")(input, output);
            return output;
        }).ToArray();
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i =>
        {
            var output = new float[3];
            WithTeam("Wide")(inputs[i % 8], output, team);
            Assert.Equal(expected[i % 8], output);
        });
    }

    [Fact]
    public void Models_without_a_large_lstm_get_no_team_overload()
    {
        Assert.Null(TeamMethod("Small"));
        Assert.NotNull(TeamMethod("GruBefore"));
        Assert.NotNull(TeamMethod("AfterGru"));
    }

    [Fact]
    public void A_disposed_team_leaves_the_caller_to_compute_alone()
    {
        var team = new CoreTeam(2);
        team.Dispose();
        float[] input = Input(7 * 16, seed: 3);
        float[] expected = new float[3], actual = new float[3];
        Alone("Wide")(input, expected);
        WithTeam("Wide")(input, actual, team);
        Assert.Equal(expected, actual);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoreTeam(0));
        Assert.Throws<ArgumentNullException>(() => WithTeam("Wide")(input, actual, null!));
    }

    /// <summary>
    /// The whole process's allocations (the team's threads included), so this class runs alone. Rounds are two calls
    /// short: the test host allocates now and then on threads of its own, but not in every round; an allocation in
    /// the calls would be in every one.
    /// </summary>
    [Fact]
    public void A_warm_call_allocates_nothing()
    {
        using var team = new CoreTeam(2);
        TeamPredictFunc predict = WithTeam("Stacked");
        float[] input = Input(30 * 8, seed: 5), output = new float[30 * 288];
        for (int i = 0; i < 20; i++) predict(input, output, team);
        long fewest = long.MaxValue;
        for (int round = 0; round < 50 && fewest != 0; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            predict(input, output, team);
            predict(input, output, team);
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        Assert.Equal(0, fewest);
    }
}
