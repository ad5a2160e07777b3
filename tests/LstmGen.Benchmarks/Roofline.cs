using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 17's roofline for a row of ModelBenchmarks or BatchBenchmarks: the shortest time the row's work can take on
/// this core, from two bounds measured in the same run (so the summary must hold FmaPeakBenchmarks and
/// CacheBandwidthBenchmarks too: run with <c>--join</c>). The compute bound is the flops over the FMA peak of the
/// widest vector the run used; the memory bound is the bytes of every recurrent matrix, read once per timestep (in a
/// batch, once per timestep for all its sequences: the least any kernel must read), each part over the read
/// bandwidth of the nearest cache that can keep it beside the layer's input kernel (L1 keeps what it holds, L2 the
/// next part, ...: the best case). The roofline is the larger of the two.
/// </summary>
internal static class Roofline
{

    public readonly record struct Bound(double Nanoseconds, string Limit);

    /// <summary>The roofline of one call (per sequence for batch rows), or null without the bound rows in the summary.</summary>
    public static Bound? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (type != typeof(ModelBenchmarks) && type != typeof(BatchBenchmarks)) return null;
        double? peak = FmaPeakGflops(summary);
        if (peak is null) return null;
        var shape = (Shape)benchmarkCase.Parameters.Items.Single(p => p.Name == nameof(ModelBenchmarks.Shape)).Value;
        var (layers, units, steps, features, _) = ModelShapes.Dimensions(shape);

        double computeNs = ModelShapes.Flops(shape) / peak.Value;
        double memoryNs = 0;
        int slowest = 1;
        double[] bandwidths = new double[4];
        for (int level = 1; level <= 4; level++)
        {
            double? gigabytes = BandwidthGBs(summary, level);
            if (gigabytes is null) return null;
            bandwidths[level - 1] = gigabytes.Value;
        }
        for (int layer = 0; layer < layers; layer++)
        {
            int input = layer == 0 ? features : units;
            long recurrentBytes = 4L * units * 4 * units, kernelBytes = 4L * input * 4 * units;
            // The best case: each cache keeps as much of the recurrent matrix as it holds beside the kernel, so
            // only the rest comes from the next level at every timestep.
            long served = 0;
            for (int level = 1; level <= 4 && served < recurrentBytes; level++)
            {
                long held = level == 4 ? recurrentBytes : Math.Clamp(CacheSizes.Value[level - 1] - kernelBytes, 0, recurrentBytes);
                if (held <= served) continue;
                double bytes = (double)(held - served) * steps;
                if (type == typeof(BatchBenchmarks)) bytes /= BatchBenchmarks.Batch;
                memoryNs += bytes / bandwidths[level - 1];
                served = held;
                slowest = Math.Max(slowest, level);
            }
        }
        string limit = slowest == 1
            ? $"L1 {bandwidths[0].ToString("F0", CultureInfo.InvariantCulture)} GB/s"
            : $"{LevelName(slowest)} {bandwidths[slowest - 1].ToString("F0", CultureInfo.InvariantCulture)} GB/s, part nearer";
        return computeNs >= memoryNs
            ? new Bound(computeNs, $"FMA {peak.Value.ToString("F0", CultureInfo.InvariantCulture)} GFLOP/s")
            : new Bound(memoryNs, limit);
    }

    /// <summary>The FMA peak row of the widest vector this run's processes use, in GFLOP/s.</summary>
    private static double? FmaPeakGflops(Summary summary)
    {
        string method = Vector512.IsHardwareAccelerated ? nameof(FmaPeakBenchmarks.Vector512Peak) : nameof(FmaPeakBenchmarks.Vector256Peak);
        BenchmarkCase? row = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.Type == typeof(FmaPeakBenchmarks) && c.Descriptor.WorkloadMethod.Name == method);
        double? ns = row is null ? null : summary[row]?.ResultStatistics?.Mean;
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        return ns is null ? null : 2.0 * lanes * FmaPeakBenchmarks.Chains * FmaPeakBenchmarks.Rounds / ns.Value;
    }

    /// <summary>The read bandwidth measured for a buffer that lives in cache level 1-3 (4: memory), in GB/s.</summary>
    private static double? BandwidthGBs(Summary summary, int level)
    {
        int kiloBytes = CacheBandwidthBenchmarks.SizesKiloBytes[level - 1];
        BenchmarkCase? row = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == typeof(CacheBandwidthBenchmarks) && (int)c.Parameters[nameof(CacheBandwidthBenchmarks.KiloBytes)] == kiloBytes);
        double? ns = row is null ? null : summary[row]?.ResultStatistics?.Mean;
        return ns is null ? null : kiloBytes * 1024.0 / ns.Value;
    }

    private static string LevelName(int level) => level == 4 ? "memory" : "L" + level.ToString(CultureInfo.InvariantCulture);

    /// <summary>L1 data, L2 and L3 sizes of CPU 0 from Linux's sysfs; Zen 4's sizes where it is not there.</summary>
    private static readonly Lazy<long[]> CacheSizes = new(() =>
    {
        long[] sizes = { 32 * 1024, 1024 * 1024, 32 * 1024 * 1024 };
        const string root = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(root)) return sizes;
        foreach (string index in Directory.GetDirectories(root, "index*"))
        {
            try
            {
                int level = int.Parse(File.ReadAllText(Path.Combine(index, "level")).Trim(), CultureInfo.InvariantCulture);
                string kind = File.ReadAllText(Path.Combine(index, "type")).Trim();
                string size = File.ReadAllText(Path.Combine(index, "size")).Trim();
                if (level < 1 || level > 3 || kind == "Instruction" || !size.EndsWith('K')) continue;
                sizes[level - 1] = long.Parse(size[..^1], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException)
            {
            }
        }
        return sizes;
    });
}
