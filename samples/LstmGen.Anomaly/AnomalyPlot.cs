using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace LstmGen.Anomaly;

/// <summary>The PNG: the series, the months covered by flagged windows shaded, the end of training dashed.</summary>
internal static class AnomalyPlot
{
    public static void Save(string path, SstSeries series, IReadOnlyList<(int First, int Last)> flaggedMonths, int trainMonths)
    {
        var plot = new Plot();
        for (int i = 0; i < flaggedMonths.Count; i++)
        {
            (int first, int last) = flaggedMonths[i];
            var span = plot.Add.HorizontalSpan(series.Months[first].ToOADate(), series.Months[last].AddMonths(1).ToOADate());
            span.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.3);
            span.LineStyle.Width = 0;
            if (i == 0) span.LegendText = "months of the windows flagged (reconstruction error above the threshold)";
        }

        var sst = plot.Add.Scatter(series.Months.Select(d => d.ToOADate()).ToArray(), series.Celsius);
        sst.LegendText = "sea surface temperature, Nino 1+2 (statsmodels elnino)";
        sst.Color = Colors.Black;
        sst.LineWidth = 1;
        sst.MarkerSize = 0;

        var split = plot.Add.VerticalLine(series.Months[trainMonths].ToOADate());
        split.Color = Colors.Gray;
        split.LinePattern = LinePattern.Dashed;
        split.LegendText = $"end of training ({series.Months[trainMonths - 1]:MMMM yyyy}): the autoencoder learned the windows before";

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"LSTM autoencoder (LstmGen PredictBatch) flags unusual 12-month windows, {series.Months[0]:yyyy}-{series.Months[^1]:yyyy}");
        plot.YLabel("sea surface temperature (°C)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1400, 600);
    }
}
