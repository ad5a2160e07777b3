using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace LstmGen.Anomaly;

/// <summary>Data/elnino.csv: statsmodels' elnino dataset, monthly sea surface temperature (deg C) of the Nino 1+2
/// region of the Pacific, January 1950 to December 2010.</summary>
internal sealed class SstSeries
{
    public required DateTime[] Months { get; init; }
    public required double[] Celsius { get; init; }

    public static SstSeries Read(string path)
    {
        var months = new List<DateTime>();
        var celsius = new List<double>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.StartsWith("year", StringComparison.Ordinal) || line.Length == 0) continue;
            string[] cells = line.Split(',');
            months.Add(new DateTime(int.Parse(cells[0], CultureInfo.InvariantCulture), int.Parse(cells[1], CultureInfo.InvariantCulture), 1));
            celsius.Add(double.Parse(cells[2], CultureInfo.InvariantCulture));
        }
        return new SstSeries { Months = months.ToArray(), Celsius = celsius.ToArray() };
    }
}
