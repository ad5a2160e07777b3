using System.Collections.Generic;
using ScottPlot;

namespace LstmGen.Words;

/// <summary>The PNG: how often each letter occurs in the training words and in the generated ones.</summary>
internal static class LetterPlot
{
    public static void Save(string path, double[] training, double[] generated, int generatedWords, float temperature)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int letter = 0; letter < 26; letter++)
        {
            bars.Add(new Bar { Position = letter * 3, Value = 100 * training[letter], FillColor = Colors.SteelBlue, LineWidth = 0 });
            bars.Add(new Bar { Position = letter * 3 + 1, Value = 100 * generated[letter], FillColor = Colors.OrangeRed, LineWidth = 0 });
        }
        plot.Add.Bars(bars);

        var ticks = new Tick[26];
        for (int letter = 0; letter < 26; letter++) ticks[letter] = new Tick(letter * 3 + 0.5, ((char)('a' + letter)).ToString());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "the training words (wamerican)", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{generatedWords:N0} words the LSTM generated (temperature {temperature})", FillColor = Colors.OrangeRed });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Letter frequencies: words from the dictionary vs words invented by the LSTM (LstmGen Step)");
        plot.YLabel("share of letters (%)");
        plot.SavePng(path, 1200, 500);
    }
}
