using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using LstmGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Generator.Benchmarks;

/// <summary>
/// What the IDE pays per keystroke in the file that holds [LstmModel] for a 1M-parameter model (LSTM(512), 10 MB of
/// JSON): the generator run after an edit above the attribute, which moves it. Each invocation toggles between two
/// versions of the file, so every run is a run after an edit. For contrast, the run after an edit of the weights
/// file itself (every step of that model runs again).
/// </summary>
[MemoryDiagnoser]
public class IdeEditBenchmarks
{
    private const string Attributed = "[LstmGen.LstmModel(\"Models/lstm_u512.json\")] public static partial class Big { }\n";

    private CSharpCompilation _before = null!, _after = null!;
    private SyntaxTree _treeBefore = null!, _treeAfter = null!;
    private AdditionalText _weights = null!, _weightsEdited = null!;
    private GeneratorDriver _driver = null!;
    private bool _edited;

    [GlobalSetup]
    public void Setup()
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Models", "lstm_u512.json"));
        _weights = new Text("/project/Models/lstm_u512.json", json);
        // The same model with one weight changed (same length, so only the value differs).
        int at = json.IndexOf("-0.042516", StringComparison.Ordinal);
        _weightsEdited = new Text("/project/Models/lstm_u512.json", json.Remove(at, 9).Insert(at, "-0.042517"));

        var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
        _treeBefore = CSharpSyntaxTree.ParseText("namespace App;\n" + Attributed, parse, path: "/project/Big.cs");
        _treeAfter = CSharpSyntaxTree.ParseText("namespace App;\n// typed\n" + Attributed, parse, path: "/project/Big.cs");
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(LstmModelAttribute).Assembly.Location));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        _before = CSharpCompilation.Create("App", new[] { _treeBefore }, references, options);
        _after = _before.ReplaceSyntaxTree(_treeBefore, _treeAfter);

        // The first run, which reads and emits the model; every invocation below is a run after an edit.
        _driver = CSharpGeneratorDriver.Create(new[] { new LstmModelGenerator().AsSourceGenerator() }, new[] { _weights }, (CSharpParseOptions)_treeBefore.Options)
            .RunGenerators(_before);
        _edited = false;
    }

    /// <summary>One keystroke's run: the attribute moved by a line.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver EditAboveTheAttribute()
    {
        _edited = !_edited;
        _driver = _driver.RunGenerators(_edited ? _after : _before);
        return _driver;
    }

    /// <summary>The weights file edited: that model is read and emitted again.</summary>
    [Benchmark]
    public GeneratorDriver EditTheWeightsFile()
    {
        _edited = !_edited;
        _driver = _driver.ReplaceAdditionalText(_edited ? _weights : _weightsEdited, _edited ? _weightsEdited : _weights).RunGenerators(_before);
        return _driver;
    }

    private sealed class Text : AdditionalText
    {
        private readonly SourceText _text;

        public Text(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => _text;
    }
}
