using System;
using System.Linq;
using ScottPlot;

namespace LstmGen.Forecast;

/// <summary>The PNG: measured CO2 and the one-month-ahead forecasts over the held-out years.</summary>
internal static class ForecastPlot
{
    public static void Save(string path, Co2Series series, int firstHeldOut, double[] forecast, int shownFrom)
    {
        var plot = new Plot();
        double[] Dates(int from, int count) => series.Months.Skip(from).Take(count).Select(d => d.ToOADate()).ToArray();

        int shown = series.Ppm.Length - shownFrom;
        var measured = plot.Add.Scatter(Dates(shownFrom, shown), series.Ppm.Skip(shownFrom).ToArray());
        measured.LegendText = "measured (Mauna Loa, R datasets::co2)";
        measured.Color = Colors.Black;
        measured.LineWidth = 1.5f;
        measured.MarkerSize = 3;

        var predicted = plot.Add.Scatter(Dates(firstHeldOut, forecast.Length), forecast);
        predicted.LegendText = "LSTM forecast, one month ahead (held out: not seen in training)";
        predicted.Color = Colors.OrangeRed;
        predicted.LineWidth = 2;
        predicted.MarkerSize = 4;

        var split = plot.Add.VerticalLine(series.Months[firstHeldOut].ToOADate());
        split.Color = Colors.Gray;
        split.LinePattern = LinePattern.Dashed;
        split.LegendText = $"end of training ({series.Months[firstHeldOut - 1]:MMMM yyyy})";

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"Monthly CO2, {series.Months[shownFrom]:yyyy}-{series.Months[^1]:yyyy}: measured vs LSTM forecast (LstmGen Step)");
        plot.YLabel("CO2 (ppm)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 600);
    }
}
