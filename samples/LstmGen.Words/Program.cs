// The text sample: a character-level LSTM compiled by LstmGen invents words one character at a time through
// Step, allocation-free, and is timed against the same model in ONNX Runtime. README.md beside this file.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using LstmGen;
using LstmGen.Words;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string plotPath = Path.GetFullPath(Option(args, "--plot") ?? "letter-frequencies.png");
float temperature = float.Parse(Option(args, "--temperature") ?? "0.8", CultureInfo.InvariantCulture);
int seed = int.Parse(Option(args, "--seed") ?? "42", CultureInfo.InvariantCulture);
int characters = int.Parse(Option(args, "--chars") ?? "100000", CultureInfo.InvariantCulture);
const string WordList = "/usr/share/dict/words";

WordCheck check = WordCheck.Read(Path.Combine(AppContext.BaseDirectory, "Models", "words.check.json"));

// The compiled model against PyTorch: Step token by token, and Predict on the whole sequence in one call.
float[] stepped = new float[check.Logits.Length], predicted = new float[check.Logits.Length];
var checkState = default(WordModel.State);
for (int t = 0; t < check.Ids.Length; t++)
{
    WordModel.Step(ref checkState, check.Ids.AsSpan(t, 1), stepped.AsSpan(t * WordModel.OutputUnits, WordModel.OutputUnits));
}
WordModel.Predict(check.Ids, predicted);
(bool stepOk, double stepDifference) = check.Compare(stepped);
(bool predictOk, double predictDifference) = check.Compare(predicted);
bool checkOk = stepOk && predictOk;

// Generation with LstmGen: the seeded sampler draws each character from Step's logits.
char[] text = new char[characters];
Generate(new Sampler(seed, temperature), text.AsSpan(0, Math.Min(1000, characters))); // warm-up
var sampler = new Sampler(seed, temperature);
var timing = Stopwatch.StartNew();
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
Generate(sampler, text);
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
double lstmGenMicroseconds = timing.Elapsed.TotalMicroseconds / characters;

// The same model, sampler and seed with ONNX Runtime.
using var onnx = new OnnxWordModel(Path.Combine(AppContext.BaseDirectory, "Models", "words.onnx"), WordModel.OutputUnits);
double onnxDifference = 0;
for (int t = 0; t < check.Ids.Length; t++)
{
    ReadOnlySpan<float> logits = onnx.Step(check.Ids[t]);
    for (int i = 0; i < logits.Length; i++) onnxDifference = Math.Max(onnxDifference, Math.Abs(logits[i] - check.Logits[t * logits.Length + i]));
}
char[] onnxText = new char[characters];
GenerateWithOnnx(onnx, new Sampler(seed, temperature), onnxText.AsSpan(0, Math.Min(1000, characters))); // warm-up
var onnxSampler = new Sampler(seed, temperature);
timing.Restart();
long onnxAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
GenerateWithOnnx(onnx, onnxSampler, onnxText);
long onnxAllocated = GC.GetAllocatedBytesForCurrentThread() - onnxAllocatedBefore;
double onnxMicroseconds = timing.Elapsed.TotalMicroseconds / characters;

// What came out: the words (the last one may be cut off), how many are new, how often each letter occurs.
string[] words = new string(text).Split('\n')[..^1];
HashSet<string>? known = File.Exists(WordList) ? File.ReadLines(WordList).ToHashSet(StringComparer.Ordinal) : null;
var letters = new double[26];
foreach (char ch in text) if (ch != '\n') letters[ch - 'a']++;
double letterCount = letters.Sum();
for (int i = 0; i < 26; i++) letters[i] /= letterCount;
LetterPlot.Save(plotPath, check.LetterFrequencies, letters, words.Length, temperature);

int units = WordModel.State.Length / 2;
Console.WriteLine("LstmGen text sample: inventing words one character at a time");
Console.WriteLine($"  data:  {check.Words:N0} words of {WordList} (Debian wamerican) made of the letters a-z");
Console.WriteLine($"  model: Embedding(27, 16) + LSTM({units}) + Dense(27), trained in PyTorch (train_words.py): {check.HeldOutBitsPerChar:F2} bits per character on held-out words");
Console.WriteLine($"  check against PyTorch ({check.Ids.Length} tokens, Step and Predict, tolerance 1E-4): {(checkOk ? "OK" : "MISMATCH")}, max difference {Math.Max(stepDifference, predictDifference):0.0E+0}");
Console.WriteLine($"  words drawn from WordModel.Step's output at temperature {temperature}, seed {seed}:");
Console.WriteLine($"    {string.Join(' ', words.Take(12))}");
Console.WriteLine(known is null
    ? $"  {words.Length:N0} words generated ({WordList} is not installed: no count of the new ones)"
    : $"  {words.Length:N0} words generated, {words.Count(w => !known.Contains(w)) * 100.0 / words.Length:F0}% of them not in the word list");
Console.WriteLine($"  time per character (one step + sampling, {characters:N0} characters, one thread):");
Console.WriteLine($"    LstmGen Step   {lstmGenMicroseconds,6:F2} us, {allocated} bytes allocated");
Console.WriteLine($"    ONNX Runtime   {onnxMicroseconds,6:F2} us, {onnxAllocated:N0} bytes allocated ({onnxMicroseconds / lstmGenMicroseconds:F1}x the time; preallocated OrtValues, 1 intra-op thread; max difference from PyTorch {onnxDifference:0.0E+0})");
Console.WriteLine($"  plot:  {plotPath}");
return checkOk ? 0 : 1;

// Token 0 ends a word (written '\n'), 1..26 are a..z; each drawn token is the next step's input.
static void Generate(Sampler sampler, Span<char> text)
{
    var state = default(WordModel.State);
    Span<float> logits = stackalloc float[WordModel.OutputUnits];
    Span<int> token = stackalloc int[1];
    token[0] = 0;
    for (int i = 0; i < text.Length; i++)
    {
        WordModel.Step(ref state, token, logits);
        token[0] = sampler.Next(logits);
        text[i] = token[0] == 0 ? '\n' : (char)('a' + token[0] - 1);
    }
}

static void GenerateWithOnnx(OnnxWordModel model, Sampler sampler, Span<char> text)
{
    model.Reset();
    int token = 0;
    for (int i = 0; i < text.Length; i++)
    {
        token = sampler.Next(model.Step(token));
        text[i] = token == 0 ? '\n' : (char)('a' + token - 1);
    }
}

static string? Option(string[] args, string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

[LstmModel("Models/words.json")]
internal static partial class WordModel { }
