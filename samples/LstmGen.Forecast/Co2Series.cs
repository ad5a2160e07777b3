using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace LstmGen.Forecast;

/// <summary>Data/co2.csv: R's datasets::co2, monthly CO2 at Mauna Loa in ppm, January 1959 to December 1997.</summary>
internal sealed class Co2Series
{
    public required DateTime[] Months { get; init; }
    public required double[] Ppm { get; init; }

    public static Co2Series Read(string path)
    {
        var months = new List<DateTime>();
        var ppm = new List<double>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.StartsWith("year", StringComparison.Ordinal) || line.Length == 0) continue;
            string[] cells = line.Split(',');
            months.Add(new DateTime(int.Parse(cells[0], CultureInfo.InvariantCulture), int.Parse(cells[1], CultureInfo.InvariantCulture), 1));
            ppm.Add(double.Parse(cells[2], CultureInfo.InvariantCulture));
        }
        return new Co2Series { Months = months.ToArray(), Ppm = ppm.ToArray() };
    }
}
