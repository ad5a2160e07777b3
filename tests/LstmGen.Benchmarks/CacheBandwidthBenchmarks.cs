using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 17's roofline, the bandwidth half: how fast one core reads a buffer of each size that a recurrent matrix
/// streams from (L1, L2, L3, memory), read the way the generated products read weights (consecutive Vector512 or
/// Vector256 loads summed into eight accumulators), so "GB/s" is the bound for a Predict whose matrix has that size.
/// Run in the same process as the model rows (the FMA peak is FmaPeakBenchmarks).
/// </summary>
[Config(typeof(BandwidthConfig))]
public class CacheBandwidthBenchmarks
{
    private float[] _buffer = Array.Empty<float>();

    /// <summary>Buffer sizes: inside L1d (32-48 KB), L2 (1 MB on Zen 4 / 5), L3 (32 MB per CCD), memory.</summary>
    public static readonly int[] SizesKiloBytes = { 16, 512, 8192, 131072 };

    public static IEnumerable<int> Sizes => SizesKiloBytes;

    [ParamsSource(nameof(Sizes))]
    public int KiloBytes { get; set; }

    public long Bytes => KiloBytes * 1024L;

    [GlobalSetup]
    public void Setup()
    {
        _buffer = new float[Bytes / sizeof(float)];
        for (int i = 0; i < _buffer.Length; i++) _buffer[i] = i % 7;
    }

    [Benchmark(Description = "Read, widest vector")]
    public float Read()
    {
        ref float start = ref MemoryMarshal.GetArrayDataReference(_buffer);
        nuint length = (nuint)_buffer.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (nuint i = 0; i < length; i += 128)
            {
                a0 += Vector512.LoadUnsafe(ref start, i); a1 += Vector512.LoadUnsafe(ref start, i + 16);
                a2 += Vector512.LoadUnsafe(ref start, i + 32); a3 += Vector512.LoadUnsafe(ref start, i + 48);
                a4 += Vector512.LoadUnsafe(ref start, i + 64); a5 += Vector512.LoadUnsafe(ref start, i + 80);
                a6 += Vector512.LoadUnsafe(ref start, i + 96); a7 += Vector512.LoadUnsafe(ref start, i + 112);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (nuint i = 0; i < length; i += 64)
        {
            b0 += Vector256.LoadUnsafe(ref start, i); b1 += Vector256.LoadUnsafe(ref start, i + 8);
            b2 += Vector256.LoadUnsafe(ref start, i + 16); b3 += Vector256.LoadUnsafe(ref start, i + 24);
            b4 += Vector256.LoadUnsafe(ref start, i + 32); b5 += Vector256.LoadUnsafe(ref start, i + 40);
            b6 += Vector256.LoadUnsafe(ref start, i + 48); b7 += Vector256.LoadUnsafe(ref start, i + 56);
        }
        return Vector256.Sum(b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7);
    }
}

/// <summary>Adds a GB/s column: the buffer's bytes over the mean time of one read.</summary>
public sealed class BandwidthConfig : ManualConfig
{
    public BandwidthConfig() => AddColumn(new BandwidthColumn());

    private sealed class BandwidthColumn : IColumn
    {
        public string Id => "GBs";
        public string ColumnName => "GB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Bytes read per second, in 10^9";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            // Joined with other benchmarks (--join), the column is asked about their rows too.
            if (nanoseconds is null || benchmarkCase.Descriptor.Type != typeof(CacheBandwidthBenchmarks)) return "-";
            int kiloBytes = (int)benchmarkCase.Parameters[nameof(CacheBandwidthBenchmarks.KiloBytes)];
            return (kiloBytes * 1024.0 / nanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
