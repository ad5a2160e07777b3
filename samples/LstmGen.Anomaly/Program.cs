// The anomaly sample: an LSTM autoencoder compiled by LstmGen scores every 12-month window of a real series with
// PredictBatch and flags the windows it cannot reconstruct. README.md beside this file.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using LstmGen;
using LstmGen.Anomaly;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string plotPath = Path.GetFullPath(Option(args, "--plot") ?? "elnino-anomalies.png");
int timedBatches = int.Parse(Option(args, "--batches") ?? "200", CultureInfo.InvariantCulture);

SstSeries series = SstSeries.Read(Path.Combine(AppContext.BaseDirectory, "Data", "elnino.csv"));
AutoencoderCheck check = AutoencoderCheck.Read(Path.Combine(AppContext.BaseDirectory, "Models", "autoencoder.check.json"));
int window = Autoencoder.Timesteps, months = series.Celsius.Length, windows = months - window + 1;
int trainingWindows = check.TrainMonths - window + 1;

// Every window of the series, scaled as in training, in one [windows, 12, 1] array; one PredictBatch call.
float[] inputs = new float[windows * Autoencoder.InputLength], outputs = new float[windows * Autoencoder.OutputLength];
for (int w = 0; w < windows; w++)
{
    for (int t = 0; t < window; t++) inputs[w * window + t] = (float)((series.Celsius[w + t] - check.Mean) / check.Scale);
}
Autoencoder.PredictBatch(inputs, windows, outputs);
(bool checkOk, double difference) = check.Compare(outputs);

double[] errors = new double[windows];
for (int w = 0; w < windows; w++)
{
    double sum = 0;
    for (int t = 0; t < window; t++) sum += Math.Pow(outputs[w * window + t] - inputs[w * window + t], 2);
    errors[w] = sum / window;
}

// The months covered by flagged windows, overlapping or touching ones merged.
var flagged = new List<(int First, int Last)>();
int flaggedWindows = 0, flaggedInTraining = 0;
for (int w = 0; w < windows; w++)
{
    if (errors[w] <= check.Threshold) continue;
    flaggedWindows++;
    if (w < trainingWindows) flaggedInTraining++;
    if (flagged.Count > 0 && w <= flagged[^1].Last + 1) flagged[^1] = (flagged[^1].First, w + window - 1);
    else flagged.Add((w, w + window - 1));
}

// Time per window: PredictBatch over all windows, again and again.
var timing = Stopwatch.StartNew();
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (int i = 0; i < timedBatches; i++) Autoencoder.PredictBatch(inputs, windows, outputs);
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
double microseconds = timing.Elapsed.TotalMicroseconds / ((double)timedBatches * windows);

AnomalyPlot.Save(plotPath, series, flagged, check.TrainMonths);

Console.WriteLine("LstmGen anomaly sample: an LSTM autoencoder flags unusual 12-month windows of a real series");
Console.WriteLine($"  data:  statsmodels' elnino (Debian python3-statsmodels): sea surface temperature, Nino 1+2, {months} months {series.Months[0]:yyyy}-{series.Months[^1]:yyyy}");
Console.WriteLine($"  model: LSTM encoder -> RepeatVector({window}) -> LSTM decoder -> TimeDistributed(Dense(1)), trained in PyTorch on the windows of {series.Months[0]:yyyy}-{series.Months[check.TrainMonths - 1]:yyyy} (train_autoencoder.py)");
Console.WriteLine($"  {windows} windows scored with one Autoencoder.PredictBatch call; threshold {check.Threshold:F4} (mean squared error, scaled units: the worst training window)");
Console.WriteLine($"  check against PyTorch ({windows} reconstructions, tolerance 1E-4): {(checkOk ? "OK" : "MISMATCH")}, max difference {difference:0.0E+0}");
Console.WriteLine($"  {flaggedWindows} windows flagged ({flaggedInTraining} of them in the training years), covering:");
foreach ((int first, int last) in flagged)
{
    double worst = 0;
    for (int w = first; w + window - 1 <= last; w++) worst = Math.Max(worst, errors[w]);
    Console.WriteLine($"    {series.Months[first]:yyyy-MM} to {series.Months[last]:yyyy-MM}   worst error {worst:F3} ({worst / check.Threshold:F1}x the threshold)");
}
Console.WriteLine($"  PredictBatch: {microseconds:F2} us per window ({timedBatches} x {windows} windows), {allocated} bytes allocated");
Console.WriteLine($"  plot:  {plotPath}");
return checkOk ? 0 : 1;

static string? Option(string[] args, string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

[LstmModel("Models/autoencoder.json")]
internal static partial class Autoencoder { }
