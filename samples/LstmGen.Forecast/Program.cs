// The main demo: forecasting monthly CO2 at Mauna Loa one value at a time with an LSTM compiled by LstmGen.
// What it prints and how the model was trained: README.md beside this file.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using LstmGen;
using LstmGen.Forecast;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string plotPath = Path.GetFullPath(Option(args, "--plot") ?? "co2-forecast.png");
int timedSteps = int.Parse(Option(args, "--steps") ?? "1000000", CultureInfo.InvariantCulture);

Co2Series series = Co2Series.Read(Path.Combine(AppContext.BaseDirectory, "Data", "co2.csv"));
TrainingCheck check = TrainingCheck.Read(Path.Combine(AppContext.BaseDirectory, "Models", "co2.check.json"));
double[] ppm = series.Ppm;
int months = ppm.Length, train = check.TrainMonths, heldOut = months - train;

// The stream: after month t arrives, the model is given its change from month t-1 and forecasts month t+1.
// The state runs through the training years first (the model's memory of the recent past), then the held-out ones.
float[] inputs = new float[months - 2], outputs = new float[months - 2];
double[] forecast = new double[heldOut];
var state = default(Co2Forecaster.State);
Span<float> input = stackalloc float[Co2Forecaster.InputFeatures], output = stackalloc float[Co2Forecaster.OutputUnits];
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (int t = 1; t < months - 1; t++)
{
    input[0] = (float)((ppm[t] - ppm[t - 1] - check.Mean) / check.Scale);
    Co2Forecaster.Step(ref state, input, output);
    inputs[t - 1] = input[0];
    outputs[t - 1] = output[0];
    if (t + 1 >= train) forecast[t + 1 - train] = ppm[t] + output[0] * (double)check.Scale + check.Mean;
}
long streamAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

double model = 0, lastValue = 0, seasonal = 0;
for (int i = 0; i < heldOut; i++)
{
    int month = train + i;
    model += Math.Abs(forecast[i] - ppm[month]);
    lastValue += Math.Abs(ppm[month - 1] - ppm[month]);
    seasonal += Math.Abs(ppm[month - 12] - ppm[month]);
}

// The compiled model against PyTorch: Step above, and Predict on the whole sequence in one call.
float[] predicted = new float[inputs.Length];
Co2Forecaster.Predict(inputs, predicted);
(bool stepOk, double stepDifference) = check.Compare(outputs);
(bool predictOk, double predictDifference) = check.Compare(predicted);
bool checkOk = stepOk && predictOk;

// Time per Step: the series streamed again and again from the zero state.
var timing = Stopwatch.StartNew();
allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
int stepped = 0;
while (stepped < timedSteps)
{
    state = default;
    for (int t = 0; t < inputs.Length && stepped < timedSteps; t++, stepped++)
    {
        Co2Forecaster.Step(ref state, inputs.AsSpan(t, 1), output);
    }
}
timing.Stop();
long timedAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
double stepMicroseconds = timing.Elapsed.TotalMicroseconds / stepped;

// The same model in ONNX Runtime: checked against PyTorch over the series, then timed the same way.
using var onnx = new OnnxForecaster(Path.Combine(AppContext.BaseDirectory, "Models", "co2.onnx"));
double onnxDifference = 0;
for (int t = 0; t < inputs.Length; t++) onnxDifference = Math.Max(onnxDifference, Math.Abs(onnx.Step(inputs[t]) - check.Outputs[t]));
int onnxSteps = Math.Min(timedSteps, 100_000), onnxStepped = 0;
timing.Restart();
allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
while (onnxStepped < onnxSteps)
{
    onnx.Reset();
    for (int t = 0; t < inputs.Length && onnxStepped < onnxSteps; t++, onnxStepped++) onnx.Step(inputs[t]);
}
timing.Stop();
long onnxAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
double onnxMicroseconds = timing.Elapsed.TotalMicroseconds / onnxStepped;

ForecastPlot.Save(plotPath, series, train, forecast, shownFrom: train - 5 * 12);

Console.WriteLine($"LstmGen demo: forecasting monthly CO2 at Mauna Loa, one value at a time");
Console.WriteLine($"  data:  R's datasets::co2 (Debian r-base-core), {months} months {series.Months[0]:yyyy}-{series.Months[^1]:yyyy}, Data/co2.csv");
Console.WriteLine($"  model: LSTM(32) + Dense(1) trained in PyTorch on {series.Months[0]:yyyy}-{series.Months[train - 1]:yyyy} (train_co2.py), compiled to C# by LstmGen");
Console.WriteLine($"  held out {series.Months[train]:yyyy}-{series.Months[^1]:yyyy}: {heldOut} months fed to Co2Forecaster.Step as they arrive; mean absolute error of the next month:");
Console.WriteLine($"    LSTM            {model / heldOut,6:F3} ppm");
Console.WriteLine($"    last value      {lastValue / heldOut,6:F3} ppm   (next month = this month)");
Console.WriteLine($"    seasonal naive  {seasonal / heldOut,6:F3} ppm   (next month = the same month a year ago)");
Console.WriteLine($"  check against PyTorch ({outputs.Length} steps, Step and Predict, tolerance 1E-4): {(checkOk ? "OK" : "MISMATCH")}, max difference {Math.Max(stepDifference, predictDifference):0.0E+0}");
Console.WriteLine("  time per month (one value in, the next month's forecast out, one thread):");
Console.WriteLine($"    LstmGen Step   {stepMicroseconds,6:F2} us, {timedAllocated} bytes allocated ({stepped:N0} steps; {streamAllocated} bytes while streaming the series above)");
Console.WriteLine($"    ONNX Runtime   {onnxMicroseconds,6:F2} us, {onnxAllocated:N0} bytes allocated ({onnxStepped:N0} steps, {onnxMicroseconds / stepMicroseconds:F1}x the time; same model, preallocated OrtValues, 1 intra-op thread; max difference from PyTorch {onnxDifference:0.0E+0})");
Console.WriteLine($"  plot:  {plotPath}");
return checkOk ? 0 : 1;

static string? Option(string[] args, string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

[LstmModel("Models/co2.json")]
internal static partial class Co2Forecaster { }
