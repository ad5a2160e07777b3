using System;
using System.Diagnostics;
using System.Threading.Tasks;
using LstmGen.Runtime;
using LstmGen.Tests.Numerics;

namespace LstmGen.Tests.Runtime;

/// <summary>
/// The team's hand-off between timesteps: every part of every step is computed exactly once, also when consecutive
/// steps have different numbers of parts (a GRU's two meetings) and the threads outnumber the cores, so a thread still
/// leaving one step meets the next one being published; a GRU's timestep splits by units only where its blocks divide
/// evenly among the threads, each block once per meeting.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class CoreTeamProtocolTests
{
    private const int Granularity = 8;

    // Counts the visits of each column: a part taken twice (or not at all) leaves a count other than one.
    private static readonly RecurrentColumns s_count = (z, _, start, end, _) =>
    {
        for (int i = start; i < end; i++) z[i] += 1;
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Each_column_is_computed_once_when_the_part_counts_alternate(int threads)
    {
        // A part counted twice can also leave the caller waiting for ever: fail then rather than hang.
        Task run = Task.Run(() => Alternate(threads));
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == run, $"{threads} threads: a step never finished (the caller waits for a part count it cannot reach)");
        await run;
    }

    private static void Alternate(int threads)
    {
        using var team = new CoreTeam(threads);
        float[] z = new float[6 * Granularity];
        float[] h = new float[1];
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < 2_000_000 && clock.ElapsedMilliseconds < 2000; step++)
        {
            // Six panels split into min(threads, 6) parts, then three into min(threads, 3): the counts differ with 4 threads.
            int columns = (step % 2 == 0 ? 6 : 3) * Granularity;
            Array.Clear(z);
            team.Run(z, h, columns, Granularity, s_count, reverse: false);
            for (int i = 0; i < z.Length; i++)
            {
                float expected = i < columns ? 1 : 0;
                if (z[i] != expected) Assert.Fail($"{threads} threads, step {step}: column {i} of {columns} computed {z[i]} times");
            }
        }
    }

    [Fact]
    public void A_gru_step_splits_by_units_only_where_the_blocks_divide_evenly()
    {
        // The first meeting marks its units in z and writes their new states aside; the second sees every unit's mark
        // (the threads met in between) and adds to the states; h takes them once both are done.
        GruUnits first = (z, h, next, start, end, _) =>
        {
            for (int i = start; i < end; i++)
            {
                z[i] += 1;
                next[i] = h[i] + 10;
            }
        };
        GruUnits then = (z, h, next, start, end, _) =>
        {
            float marks = 0;
            for (int k = 0; k < h.Length; k++) marks += z[k];
            for (int i = start; i < end; i++)
            {
                z[h.Length + i] = marks;
                next[i] += 1;
            }
        };
        using var team = new CoreTeam(2);
        for (int blocks = 1; blocks <= 4; blocks++)
        {
            int units = blocks * Granularity;
            float[] h = new float[units], z = new float[2 * units];
            for (int i = 0; i < units; i++) h[i] = i;
            bool split = team.Run(z, h, Granularity, first, then, reverse: false);
            // One block cannot be shared; three do not divide between two threads (the caller then shares the columns).
            Assert.Equal(blocks % 2 == 0, split);
            for (int i = 0; i < units; i++)
            {
                Assert.Equal(split ? 1 : 0, z[i]);
                Assert.Equal(split ? units : 0, z[units + i]);
                Assert.Equal(split ? i + 11 : i, h[i]);
            }
        }
        using var alone = new CoreTeam(1);
        Assert.False(alone.Run(new float[4 * Granularity], new float[2 * Granularity], Granularity, first, then, reverse: false));
    }
}
