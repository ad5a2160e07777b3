using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using System.Text.Json;
using LstmGen;

namespace LstmGen.Sample
{
    /// <summary>The sine-wave forecaster, compiled from Models/sine.json at build time.</summary>
    [LstmModel("Models/sine.json")]
    internal static partial class SineForecaster { }

    /// <summary>The same model with the timestep loop fully unrolled.</summary>
    [LstmModel("Models/sine.json", Unroll = true)]
    internal static partial class SineForecasterUnrolled { }

    internal static class Program
    {
        private const double Tolerance = 1e-4;

        /// <summary>Usage: <c>LstmGen.Sample [--calls N]</c>; N (default 1,000,000) is the number of timed calls.</summary>
        private static int Main(string[] args)
        {
            int calls = 1_000_000;
            if (args.Length == 2 && args[0] == "--calls" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                calls = n;
            }
            else if (args.Length != 0)
            {
                Console.Error.WriteLine("usage: LstmGen.Sample [--calls N]");
                return 2;
            }

            Console.WriteLine("LstmGen sample: a sine-wave forecaster trained in PyTorch, compiled to C# at build time");
            Console.WriteLine(Invariant($"model: Models/sine.json, 3 x LSTM(10) -> Dense(1); input {SineForecaster.Timesteps} timesteps x {SineForecaster.InputFeatures} feature, output {SineForecaster.OutputLength} value"));
            Console.WriteLine("task:  predict the next value of sin(0.1 k) from the previous 10 values");
            Console.WriteLine();

            Forecast();
            RollForward();
            bool matches = CheckAgainstPyTorch();
            Time(calls);

            return matches ? 0 : 1;
        }

        private static float Sine(int k) => MathF.Sin(0.1f * k);

        /// <summary>(a) One prediction from the last 10 values of the wave.</summary>
        private static void Forecast()
        {
            const int next = 200;
            Span<float> window = stackalloc float[SineForecaster.InputLength];
            for (int t = 0; t < window.Length; t++) window[t] = Sine(next - window.Length + t);
            Span<float> output = stackalloc float[SineForecaster.OutputLength];

            SineForecaster.Predict(window, output);

            Console.WriteLine("1. Forecast one step");
            Console.WriteLine(Invariant($"   input      sin(0.1 k) for k = {next - window.Length}..{next - 1}"));
            Console.WriteLine(Invariant($"   predicted  sin(0.1 * {next}) = {output[0],9:F5}"));
            Console.WriteLine(Invariant($"   true       sin(0.1 * {next}) = {Sine(next),9:F5}   (error {output[0] - Sine(next):+0.00000;-0.00000})"));
            Console.WriteLine();
        }

        /// <summary>(b) 20 steps autoregressively: every prediction becomes the newest input.</summary>
        private static void RollForward()
        {
            const int first = 200, steps = 20, plotWidth = 31;
            Span<float> window = stackalloc float[SineForecaster.InputLength];
            for (int t = 0; t < window.Length; t++) window[t] = Sine(first - window.Length + t);
            Span<float> output = stackalloc float[SineForecaster.OutputLength];
            Span<char> plot = stackalloc char[plotWidth];

            Console.WriteLine(Invariant($"2. Roll forward {steps} steps (each prediction is fed back as input; no true values after k = {first - 1})"));
            Console.WriteLine("      k   predicted       true      error   -1             0            +1");
            double sumSquares = 0;
            for (int step = 0; step < steps; step++)
            {
                int k = first + step;
                SineForecaster.Predict(window, output);
                float predicted = output[0], truth = Sine(k);
                sumSquares += (predicted - truth) * (double)(predicted - truth);

                // A small plot: 'o' is the true value, '*' the prediction ('@' when they share a cell).
                plot.Fill(' ');
                plot[plotWidth / 2] = '|';
                int truthCell = Cell(truth, plotWidth), predictedCell = Cell(predicted, plotWidth);
                plot[truthCell] = 'o';
                plot[predictedCell] = predictedCell == truthCell ? '@' : '*';

                Console.WriteLine(Invariant($"   {k,4}  {predicted,10:F5} {truth,10:F5} {predicted - truth,10:+0.00000;-0.00000}   {plot.ToString().TrimEnd()}"));

                window[1..].CopyTo(window);
                window[^1] = predicted;
            }
            Console.WriteLine(Invariant($"   RMS error over {steps} steps: {Math.Sqrt(sumSquares / steps):F5}"));
            Console.WriteLine();
        }

        private static int Cell(float value, int width)
        {
            int cell = (int)MathF.Round((value + 1.1f) / 2.2f * (width - 1));
            return Math.Clamp(cell, 0, width - 1);
        }

        /// <summary>(c) The generated code against PyTorch's own predictions (written by train_sine.py).</summary>
        private static bool CheckAgainstPyTorch()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Models", "sine.check.json");
            Console.WriteLine("3. Check against PyTorch (Models/sine.check.json)");
            if (!File.Exists(path))
            {
                Console.WriteLine($"   FAILED: {path} not found");
                return false;
            }

            // JsonDocument reads the file without reflection, so this stays trim- and NativeAOT-safe.
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            string source = root.TryGetProperty("source", out JsonElement s) ? s.GetString() ?? "PyTorch" : "PyTorch";

            Span<float> input = stackalloc float[SineForecaster.InputLength];
            Span<float> loop = stackalloc float[SineForecaster.OutputLength];
            Span<float> unrolled = stackalloc float[SineForecasterUnrolled.OutputLength];
            Span<float> expected = stackalloc float[SineForecaster.OutputLength];
            double maxDifference = 0;
            int cases = 0;
            Console.WriteLine("   case      PyTorch      LstmGen   |difference|   unrolled |difference|");
            foreach (JsonElement item in root.GetProperty("cases").EnumerateArray())
            {
                if (!ReadFloats(item.GetProperty("input"), input) || !ReadFloats(item.GetProperty("output"), expected))
                {
                    Console.WriteLine(Invariant($"   FAILED: case {cases + 1} does not have {input.Length} inputs and {expected.Length} output(s)"));
                    return false;
                }
                SineForecaster.Predict(input, loop);
                SineForecasterUnrolled.Predict(input, unrolled);
                double loopDifference = 0, unrolledDifference = 0;
                for (int i = 0; i < expected.Length; i++)
                {
                    loopDifference = Math.Max(loopDifference, Math.Abs((double)loop[i] - expected[i]));
                    unrolledDifference = Math.Max(unrolledDifference, Math.Abs((double)unrolled[i] - expected[i]));
                }
                maxDifference = Math.Max(maxDifference, Math.Max(loopDifference, unrolledDifference));
                cases++;
                Console.WriteLine(Invariant($"   {cases,4}  {expected[0],11:F7}  {loop[0],11:F7}   {loopDifference,12:0.0E+0}   {unrolledDifference,21:0.0E+0}"));
            }

            bool ok = cases > 0 && maxDifference <= Tolerance;
            Console.WriteLine(Invariant($"   reference: {source}"));
            Console.WriteLine(Invariant($"   max |difference| over {cases} cases: {maxDifference:0.0E+0} (tolerance {Tolerance:0E+0}): {(ok ? "OK" : "FAILED")}"));
            Console.WriteLine();
            return ok;
        }

        private static bool ReadFloats(JsonElement array, Span<float> destination)
        {
            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != destination.Length) return false;
            int i = 0;
            foreach (JsonElement value in array.EnumerateArray()) destination[i++] = value.GetSingle();
            return true;
        }

        /// <summary>(d) Cost per call and allocations.</summary>
        private static void Time(int calls)
        {
            Console.WriteLine(Invariant($"4. Timing ({calls:N0} calls each; widest accelerated SIMD: {SimdPath()})"));
            Measure("Predict", calls, static (input, output) => SineForecaster.Predict(input, output));
            Measure("Predict, Unroll = true", calls, static (input, output) => SineForecasterUnrolled.Predict(input, output));
        }

        private delegate void PredictFunction(ReadOnlySpan<float> input, Span<float> output);

        private static void Measure(string name, int calls, PredictFunction predict)
        {
            Span<float> input = stackalloc float[SineForecaster.InputLength];
            for (int t = 0; t < input.Length; t++) input[t] = Sine(t);
            Span<float> output = stackalloc float[SineForecaster.OutputLength];
            float sink = 0;

            // Warm up for half a second so the JIT has produced its optimised (tier-1) code before the clock starts.
            long warmUp = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(warmUp).TotalMilliseconds < 500)
            {
                for (int i = 0; i < 1_000; i++) { predict(input, output); sink += output[0]; }
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                input[0] = i & 1; // a changing input, so no call can be skipped
                predict(input, output);
                sink += output[0];
            }
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            double nanoseconds = elapsed.TotalMilliseconds * 1e6 / calls;
            Console.WriteLine(Invariant($"   {name,-24} {nanoseconds,8:F1} ns/call   {allocated,3} bytes allocated{(float.IsNaN(sink) ? " (NaN!)" : "")}"));
        }

        private static string SimdPath()
        {
            if (Vector512.IsHardwareAccelerated) return "Vector512";
            if (Vector256.IsHardwareAccelerated) return "Vector256";
            if (Vector128.IsHardwareAccelerated) return "Vector128";
            return "scalar";
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
