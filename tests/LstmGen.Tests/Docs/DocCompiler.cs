using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LstmGen.Import;
using LstmGen.Tests.Import;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Tests.Docs;

/// <summary>
/// Compiles a page's C# block the way a user's project would: the SDK's implicit usings of <c>dotnet new console</c>,
/// the LstmGen generator, and as AdditionalFiles the models its <c>[LstmModel]</c> attributes name.
/// </summary>
internal static class DocCompiler
{
    /// <summary>What <c>ImplicitUsings</c> gives a console project (Microsoft.NET.Sdk).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private const string ProjectDirectory = "/project/";

    /// <summary>
    /// Stands in for a model a block names but the page does not show (e.g. <c>Models/forecast.keras</c>): fixed length,
    /// causal, so every generated member (InputLength, OutputLength, State, Step) exists.
    /// </summary>
    public const string StandInModel = """
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "batch_input_shape": [null, 4, 3]},
           "weights": [[[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1], [0, 0.1, 0, 0.1, 0, 0.1, 0, 0.1]],
                       [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]],
                       [0, 0, 1, 1, 0, 0, 0, 0]]},
          {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "softmax"},
           "weights": [[[1, -1], [0.5, 0.25]], [0, 0.1]]}]}}
        """;

    /// <summary>The model file a page's CoreTeam example names: it gets <see cref="LargeStandInModel"/>.</summary>
    public const string LargeModelPath = "Models/lstm512.json";

    /// <summary>
    /// Stands in for <see cref="LargeModelPath"/>: an LSTM(256) over 3 features, variable length, then Dense(1), the
    /// smallest LSTM whose Predict takes a CoreTeam.
    /// </summary>
    public static readonly string LargeStandInModel = LargeLstm(units: 256, features: 3);

    private static string LargeLstm(int units, int features)
    {
        string Matrix(int rows, int columns) => "[" + string.Join(", ", Enumerable.Repeat("[" + string.Join(", ", Enumerable.Repeat("0.01", columns)) + "]", rows)) + "]";
        return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": ["
               + $"{{\"class_name\": \"LSTM\", \"config\": {{\"name\": \"lstm\", \"units\": {units}, \"batch_input_shape\": [null, null, {features}]}}, "
               + $"\"weights\": [{Matrix(features, 4 * units)}, {Matrix(units, 4 * units)}, [{string.Join(", ", Enumerable.Repeat("0", 4 * units))}]]}}, "
               + $"{{\"class_name\": \"Dense\", \"config\": {{\"name\": \"dense\", \"units\": 1}}, \"weights\": [{Matrix(units, 1)}, [0]]}}]}}}}";
    }

    /// <summary>Extensions the LstmGen build step converts before compilation; a block naming one gets an import document.</summary>
    private static readonly string[] s_imported = { ".h5", ".hdf5", ".keras", ".onnx" };

    private static readonly Regex s_modelPath = new(@"\[\s*(?:LstmGen\.)?LstmModel(?:Attribute)?\s*\(\s*""([^""]+)""([^\]]*)\]");
    private static readonly Regex s_weightsPath = new(@"Weights\s*=\s*""([^""]+)""");

    /// <summary>Runs the generator over <paramref name="block"/> with the models it names (from the page, else <see cref="StandInModel"/>).</summary>
    public static GeneratorOutcome Compile(CodeBlock block, IReadOnlyList<CodeBlock> page)
    {
        var files = new List<(string Path, string Text, string? ImportedFrom)>();
        foreach (Match m in s_modelPath.Matches(block.Text))
        {
            string model = m.Groups[1].Value;
            Match weights = s_weightsPath.Match(m.Groups[2].Value);
            if (weights.Success)
            {
                AddTopologyAndWeights(files, model, weights.Groups[1].Value, ModelText(model, page));
            }
            else
            {
                AddModel(files, model, ModelText(model, page));
            }
        }
        files = files.GroupBy(f => f.Path).Select(g => g.First()).ToList();

        SyntaxTree tree = CSharpSyntaxTree.ParseText(block.Text, GeneratorHarness.ParseOptions, path: "/project/Program.cs");
        bool program = tree.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ImplicitUsings)
            .AddSyntaxTrees(tree);
        if (program)
        {
            compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        }
        var metadata = files.Where(f => f.ImportedFrom is not null).ToDictionary(
            f => f.Path,
            f => new Dictionary<string, string> { ["build_metadata.AdditionalFiles.LstmGenImportedFrom"] = f.ImportedFrom! });
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), options: new ItemMetadataOptions(metadata));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorOutcome(output, diagnostics, driver.GetRunResult().Results.Single());
    }

    /// <summary>Runs the generator on one model file with a class that names it; for checking a JSON block alone.</summary>
    public static GeneratorOutcome CompileModel(string path, string json)
        => GeneratorHarness.Run(
            "[LstmGen.LstmModel(\"" + path + "\")] public static partial class DocModel { }",
            (ProjectDirectory + path, json));

    /// <summary>Runs a compiled program's entry point and returns what it wrote to the console (invariant culture).</summary>
    public static string Run(Assembly assembly)
    {
        MethodInfo entry = assembly.EntryPoint ?? throw new InvalidOperationException("the block is not a program");
        lock (s_console)
        {
            TextWriter previous = Console.Out;
            CultureInfo culture = CultureInfo.CurrentCulture;
            var captured = new StringWriter(CultureInfo.InvariantCulture);
            Console.SetOut(captured);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            try
            {
                entry.Invoke(null, entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
            }
            finally
            {
                Console.SetOut(previous);
                CultureInfo.CurrentCulture = culture;
            }
            return captured.ToString();
        }
    }

    private static readonly object s_console = new();

    private static string ModelText(string path, IReadOnlyList<CodeBlock> page)
        => page.FirstOrDefault(b => b.Language == "json" && b.Option("file") == path)?.Text
           ?? (path == LargeModelPath ? LargeStandInModel : StandInModel);

    private static void AddModel(List<(string, string, string?)> files, string path, string json)
    {
        if (s_imported.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            // What the build step does for a binary file: the file itself, and its import document marked with where it came from.
            files.Add((ProjectDirectory + path, "binary", null));
            files.Add((ProjectDirectory + "obj/lstmgen/" + Path.GetFileName(path) + ".lstmgen.json", json, ProjectDirectory + path));
        }
        else
        {
            files.Add((ProjectDirectory + path, json, null));
        }
    }

    /// <summary>A Keras to_json() topology and a save_weights() file (Keras 2 names), as <c>Weights = "..."</c> expects.</summary>
    private static void AddTopologyAndWeights(List<(string, string, string?)> files, string topologyPath, string weightsPath, string json)
    {
        (JsonObject topology, var layers) = ImportDocuments.Split(json);
        var weights = new ImportDocument(Path.GetFileName(weightsPath), "docs stand-in", WeightsLayout.Keras2);
        foreach (var (name, className, inner, arrays) in layers)
        {
            string[] roles = ImportDocuments.Roles(className, inner, arrays.Count);
            string cell = className is "LSTM" or "GRU" or "SimpleRNN" ? className.ToLowerInvariant() + "_cell/" : "";
            for (int i = 0; i < arrays.Count; i++)
            {
                weights.Weights.Add(new NamedWeight(name, name + "/" + cell + roles[i] + ":0", arrays[i].Shape, arrays[i].Data));
            }
        }
        files.Add((ProjectDirectory + topologyPath, topology.ToJsonString(), null));
        files.Add((ProjectDirectory + weightsPath, "binary", null));
        files.Add((ProjectDirectory + "obj/lstmgen/" + Path.GetFileName(weightsPath) + ".lstmgen.json", ImportDocuments.Write(weights), ProjectDirectory + weightsPath));
    }
}
