using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LstmGen.Benchmarks;

/// <summary>Adds a GFLOP/s column: LSTM flops per call (2 · 4u · (input + u) per layer and step; for the CNN-LSTM also 2 · T · k · in · filters per convolution) or the FMA loop's flops, over the mean time.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig()
    {
        AddColumn(new GflopsColumn(), RooflineColumn.Bound, RooflineColumn.Reached);
        // Joined with other benchmarks (--join), each class's rows keep their own baseline: the category is the class.
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
    }

    private sealed class GflopsColumn : IColumn
    {
        public string Id => "GFLOPs";
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Useful floating-point operations per second (multiply-add = 2)";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (nanoseconds is null) return "-";
            double flops;
            if (benchmarkCase.Descriptor.Type == typeof(FmaPeakBenchmarks))
            {
                int lanes = benchmarkCase.Descriptor.WorkloadMethod.Name.Contains("512") ? 16 : 8;
                flops = 2.0 * lanes * FmaPeakBenchmarks.Chains * FmaPeakBenchmarks.Rounds;
            }
            else if (benchmarkCase.Descriptor.Type == typeof(ScalingBenchmarks))
            {
                int units = (int)benchmarkCase.Parameters[nameof(ScalingBenchmarks.Units)];
                int steps = (int)benchmarkCase.Parameters[nameof(ScalingBenchmarks.Timesteps)];
                flops = 2.0 * 4 * units * (ScalingBenchmarks.Features + units) * steps;
            }
            else if (benchmarkCase.Descriptor.Type == typeof(TeamBenchmarks))
            {
                string model = (string)benchmarkCase.Parameters[nameof(TeamBenchmarks.Model)];
                flops = model == "W" ? ModelShapes.Flops(Shape.W) : 2.0 * 4 * 512 * (ScalingBenchmarks.Features + 512) * 100;
            }
            else if (benchmarkCase.Descriptor.Type == typeof(CnnLstmBenchmarks))
            {
                flops = CnnLstmBenchmarks.Flops;
            }
            else
            {
                // Joined with other benchmarks (--join), the column is asked about rows without a shape too.
                ParameterInstance? shape = benchmarkCase.Parameters.Items.SingleOrDefault(p => p.Name == nameof(ModelBenchmarks.Shape));
                if (shape?.Value is not Shape known) return "-";
                flops = ModelShapes.Flops(known);
            }
            return (flops / nanoseconds.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
