using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LstmGen.Benchmarks;

/// <summary>
/// Two columns from <see cref="Roofline"/>: the bound of a row with what sets it, and the fraction of it the row
/// reached. They show "-" unless the FMA peak and cache bandwidth rows ran in the same summary (<c>--join</c>).
/// </summary>
internal sealed class RooflineColumn : IColumn
{
    private readonly bool _fraction;

    private RooflineColumn(bool fraction) => _fraction = fraction;

    public static readonly IColumn Bound = new RooflineColumn(fraction: false);

    public static readonly IColumn Reached = new RooflineColumn(fraction: true);

    public string Id => _fraction ? "RooflineReached" : "Roofline";
    public string ColumnName => _fraction ? "% of roofline" : "Roofline (limit)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _fraction ? 2 : 1;
    public bool IsNumeric => _fraction;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _fraction
        ? "The roofline over the mean time: how close the row came to the bound"
        : "Shortest possible time per call (per sequence in a batch): flops over the FMA peak, or each recurrent matrix per timestep over the bandwidth of the cache holding it, both measured in this run";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        Roofline.Bound? bound = Roofline.Of(summary, benchmarkCase);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (bound is null || mean is null) return "-";
        if (_fraction) return (100 * bound.Value.Nanoseconds / mean.Value).ToString("F0", CultureInfo.InvariantCulture) + " %";
        double microseconds = bound.Value.Nanoseconds / 1000;
        string format = microseconds < 10 ? "F2" : microseconds < 100 ? "F1" : "F0";
        return $"{microseconds.ToString(format, CultureInfo.InvariantCulture)} µs ({bound.Value.Limit})";
    }
}
