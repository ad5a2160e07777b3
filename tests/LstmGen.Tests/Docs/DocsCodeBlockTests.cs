using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace LstmGen.Tests.Docs;

/// <summary>
/// Every code block of README.md and docs/ is compiled, run or at least parsed, and every relative link resolves.
/// The info-string options a block may carry are described on <see cref="CodeBlock"/>; a block leaves the checks
/// only with <c>ignore-test</c>, and those must stay few.
/// </summary>
public sealed class DocsCodeBlockTests(ITestOutputHelper log)
{
    /// <summary>The one-unit LSTM worked by hand (x = 2, shared/seeds/001): h = o · tanh(c) = 0.6124943, derived without LstmGen.</summary>
    private const double HandDerivedHiddenState = 0.6124943;

    /// <summary>Languages a block may have, and how each is checked.</summary>
    private static readonly HashSet<string> s_languages = new(StringComparer.Ordinal)
    {
        "csharp", "json", "xml", "sh", "bash", "python", "js", "text",
    };

    private const int MaxOptOuts = 2;

    private static IEnumerable<CodeBlock> Checked(string page) => MarkdownPages.Blocks(page).Where(b => !b.Has("ignore-test"));

    [Theory]
    [MemberData(nameof(MarkdownPages.AllData), MemberType = typeof(MarkdownPages))]
    public void Every_block_names_a_language_the_tests_check(string page)
    {
        foreach (CodeBlock block in MarkdownPages.Blocks(page))
        {
            Assert.True(s_languages.Contains(block.Language), $"{block}: unknown or missing language (known: {string.Join(", ", s_languages)})");
        }
    }

    /// <summary>
    /// Code indented by four spaces would escape every check above, so pages fence their code; the README's two
    /// set-up commands are the exception (kept byte for byte, see <see cref="Readme_keeps_the_two_setup_commands"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(MarkdownPages.AllData), MemberType = typeof(MarkdownPages))]
    public void Code_is_fenced_not_indented(string page)
    {
        string previous = "";
        bool inList = false;
        foreach ((int line, string text) in MarkdownPages.Prose(page))
        {
            if (Regex.IsMatch(text, @"^\s*([-*+]|\d+\.)\s")) inList = true;
            else if (text.Length > 0 && !char.IsWhiteSpace(text[0])) inList = false;
            bool indentedBlock = text.StartsWith("    ", StringComparison.Ordinal) && previous.Trim().Length == 0 && !inList;
            bool setupCommand = page == "README.md" && text is ReadmeRunCommand or ReadmeTestCommand;
            Assert.False(indentedBlock && !setupCommand, $"{page}:{line}: an indented code block; fence it with ``` and a language so the tests check it");
            previous = text;
        }
    }

    private const string ReadmeRunCommand = "    dotnet run --project samples/LstmGen.Forecast -c Release";
    private const string ReadmeTestCommand = "    ./test.sh";

    [Fact]
    public void Opt_outs_are_few_and_listed()
    {
        var optOuts = MarkdownPages.All.SelectMany(MarkdownPages.Blocks).Where(b => b.Has("ignore-test")).ToList();
        foreach (CodeBlock block in optOuts) log.WriteLine("opted out: " + block);
        Assert.True(optOuts.Count <= MaxOptOuts, $"{optOuts.Count} blocks opt out of the tests (at most {MaxOptOuts}):\n{string.Join("\n", optOuts)}");
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.CompiledData), MemberType = typeof(MarkdownPages))]
    public void Csharp_blocks_compile_with_the_models_they_name(string page)
    {
        List<CodeBlock> blocks = MarkdownPages.Blocks(page);
        foreach (CodeBlock block in Checked(page).Where(b => b.Language == "csharp" && !b.Has("generated")))
        {
            GeneratorOutcome outcome = DocCompiler.Compile(block, blocks);
            try
            {
                outcome.Load();
            }
            catch (InvalidOperationException e)
            {
                Assert.Fail($"{block} does not compile:\n{e.Message}");
            }
            log.WriteLine($"compiled {block}");
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.CompiledData), MemberType = typeof(MarkdownPages))]
    public void Programs_print_what_the_page_says(string page)
    {
        List<CodeBlock> blocks = MarkdownPages.Blocks(page);
        for (int i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Language != "csharp" || !blocks[i].Has("run") || blocks[i].Has("ignore-test")) continue;
            CodeBlock expected = blocks.Skip(i + 1).FirstOrDefault(b => b.Has("output"))
                ?? throw new InvalidOperationException($"{blocks[i]}: no ```text output block after it");
            string printed = DocCompiler.Run(DocCompiler.Compile(blocks[i], blocks).Load());
            log.WriteLine($"{blocks[i]} printed:\n{printed}");
            AssertSameOutput(expected, printed);
        }
    }

    [Fact]
    public void Getting_started_prints_the_hand_derived_hidden_state()
    {
        List<CodeBlock> blocks = MarkdownPages.Blocks("docs/getting-started.md");
        CodeBlock program = blocks.First(b => b.Language == "csharp" && b.Has("run"));
        Assert.Contains("Models/tiny.json", program.Text);
        Assert.Contains(blocks, b => b.Language == "json" && b.Option("file") == "Models/tiny.json");
        string printed = DocCompiler.Run(DocCompiler.Compile(program, blocks).Load());
        double h = double.Parse(Regex.Match(printed, @"-?\d+\.\d+(?:E-?\d+)?").Value, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(h - HandDerivedHiddenState) <= 1e-6, $"the program printed {printed.Trim()}, the hand-derived h is {HandDerivedHiddenState}");
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.CompiledData), MemberType = typeof(MarkdownPages))]
    public void Json_model_blocks_are_accepted_with_exactly_the_expected_diagnostics(string page)
    {
        int index = 0;
        foreach (CodeBlock block in Checked(page).Where(b => b.Language == "json"))
        {
            if (block.Has("fragment"))
            {
                using JsonDocument _ = JsonDocument.Parse(block.Text);
                continue;
            }
            string path = block.Option("file") ?? $"Models/block{index++}.json";
            GeneratorOutcome outcome = DocCompiler.CompileModel(path, block.Text);
            string[] expected = (block.Option("expect") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            string[] actual = outcome.GeneratorDiagnostics.Select(d => d.Id).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.True(expected.SequenceEqual(actual),
                $"{block}: expected diagnostics [{string.Join(", ", expected)}], got:\n{string.Join("\n", outcome.GeneratorDiagnostics)}");
            if (!outcome.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                outcome.Load(expected); // the generated code compiles warning-free, apart from the expected warnings
            }
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.CompiledData), MemberType = typeof(MarkdownPages))]
    public void Generated_code_excerpts_are_in_the_generated_file(string page)
    {
        List<CodeBlock> blocks = MarkdownPages.Blocks(page);
        foreach (CodeBlock excerpt in Checked(page).Where(b => b.Language == "csharp" && b.Has("generated")))
        {
            string className = excerpt.Option("generated")!;
            CodeBlock declaration = blocks.First(b => b.Language == "csharp" && !b.Has("generated") && Regex.IsMatch(b.Text, @"partial class " + className + @"\b"));
            GeneratorOutcome outcome = DocCompiler.Compile(declaration, blocks);
            string source = outcome.Result.GeneratedSources.Single(s => s.HintName == className + ".g.cs").SourceText.ToString();
            string[] generated = source.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).ToArray();
            foreach (string[] segment in Segments(excerpt.Text))
            {
                Assert.True(Contains(generated, segment), $"{excerpt}: these lines are not in the file generated for {className}:\n{string.Join("\n", segment)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.AllData), MemberType = typeof(MarkdownPages))]
    public void Xml_blocks_are_well_formed_and_name_the_packed_version(string page)
    {
        string version = XDocument.Load(Path.Combine(RepoRoot.Path, "Directory.Build.props")).Descendants("Version").Single().Value;
        foreach (CodeBlock block in Checked(page).Where(b => b.Language == "xml"))
        {
            XDocument xml;
            try
            {
                xml = XDocument.Parse(block.Text);
            }
            catch (System.Xml.XmlException e)
            {
                throw new Xunit.Sdk.XunitException($"{block} is not well-formed XML: {e.Message}");
            }
            foreach (XElement reference in xml.Descendants("PackageReference").Where(e => (string?)e.Attribute("Include") == "LstmGen"))
            {
                Assert.True((string?)reference.Attribute("Version") == version, $"{block}: LstmGen version {(string?)reference.Attribute("Version")}, the repository packs {version}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.AllData), MemberType = typeof(MarkdownPages))]
    public void Shell_python_and_js_blocks_parse(string page)
    {
        foreach (CodeBlock block in Checked(page))
        {
            (string tool, string arguments, string extension)? check = block.Language switch
            {
                "sh" or "bash" => ("bash", "-n", ""),
                "python" => ("python3", "-c \"import ast, sys; ast.parse(sys.stdin.read())\"", ""),
                "js" => ("node", "--check", ".mjs"),
                _ => null,
            };
            if (check is not { } c) continue;
            string? error = Parse(c.tool, c.arguments, c.extension, block.Text);
            Assert.True(error is null, $"{block} does not parse ({c.tool}): {error}");
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownPages.AllData), MemberType = typeof(MarkdownPages))]
    public void Relative_links_point_at_existing_files_and_headings(string page)
    {
        string directory = Path.GetDirectoryName(MarkdownPages.FullPath(page))!;
        foreach ((int line, string target) in MarkdownPages.Links(page))
        {
            if (Regex.IsMatch(target, @"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)) continue; // https:, mailto:
            int hash = target.IndexOf('#');
            string path = hash < 0 ? target : target[..hash];
            string? anchor = hash < 0 ? null : target[(hash + 1)..];
            string full = path.Length == 0 ? MarkdownPages.FullPath(page) : Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(path)));
            Assert.True(File.Exists(full) || Directory.Exists(full), $"{page}:{line}: link to {target}, which does not exist");
            if (anchor is not null)
            {
                Assert.True(full.EndsWith(".md", StringComparison.Ordinal), $"{page}:{line}: anchor on a link to a file that is not a page ({target})");
                string targetPage = Path.GetRelativePath(RepoRoot.Path, full).Replace('\\', '/');
                Assert.True(MarkdownPages.Anchors(targetPage).Contains(anchor), $"{page}:{line}: {targetPage} has no heading #{anchor}");
            }
        }
    }

    [Fact]
    public void Readme_is_an_overview_that_links_every_page()
    {
        string[] lines = MarkdownPages.Lines("README.md");
        int count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        Assert.True(count <= 150, $"README.md has {count} lines; keep it an overview of at most 150 and move details to docs/");
        var linked = MarkdownPages.Links("README.md").Select(l => l.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (string page in MarkdownPages.All.Where(p => p.StartsWith("docs/", StringComparison.Ordinal)
                     && (!p.StartsWith("docs/diagnostics/", StringComparison.Ordinal) || p == "docs/diagnostics/README.md")))
        {
            Assert.True(linked.Contains(page), $"README.md does not link {page}");
        }
    }

    [Fact]
    public void Readme_keeps_the_two_setup_commands()
    {
        string[] lines = MarkdownPages.Lines("README.md");
        Assert.Contains(ReadmeRunCommand, lines);
        Assert.Contains(ReadmeTestCommand, lines);
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "test.sh")));
        Assert.True(Directory.Exists(Path.Combine(RepoRoot.Path, "samples", "LstmGen.Forecast")));
        Assert.Contains("./test.sh", File.ReadAllText(Path.Combine(RepoRoot.Path, ".ci", "run")));
    }

    /// <summary>The output block equals what the program printed, each number within 1e-6 (SIMD paths may differ in the last bit).</summary>
    private static void AssertSameOutput(CodeBlock expected, string printed)
    {
        const string number = @"-?\d+(?:\.\d+)?(?:E[-+]?\d+)?";
        string Shape(string s) => Regex.Replace(s.Replace("\r\n", "\n").Trim(), number, "#");
        double[] Numbers(string s) => Regex.Matches(s, number).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(Shape(expected.Text) == Shape(printed), $"{expected}: the program printed\n{printed}");
        double[] want = Numbers(expected.Text), got = Numbers(printed);
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-6, $"{expected}: number {i + 1} is {got[i]}, the page says {want[i]}");
        }
    }

    /// <summary>The runs of lines between elisions (<c>...</c> or <c>// ...</c> lines), each line trimmed.</summary>
    private static IEnumerable<string[]> Segments(string excerpt)
    {
        var segment = new List<string>();
        foreach (string raw in excerpt.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            string line = raw.Trim();
            if (line is "..." or "// ...")
            {
                if (segment.Count > 0) yield return segment.ToArray();
                segment.Clear();
                continue;
            }
            segment.Add(line);
        }
        if (segment.Count > 0) yield return segment.ToArray();
    }

    private static bool Contains(string[] lines, string[] segment)
    {
        for (int start = 0; start + segment.Length <= lines.Length; start++)
        {
            int k = 0;
            while (k < segment.Length && lines[start + k] == segment[k]) k++;
            if (k == segment.Length) return true;
        }
        return false;
    }

    /// <summary>Null when <paramref name="tool"/> parses the text (or is not installed: the check is skipped), else its complaint.</summary>
    private static string? Parse(string tool, string arguments, string extension, string text)
    {
        string? file = null;
        try
        {
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardInput = extension.Length == 0,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (extension.Length > 0)
            {
                file = Path.Combine(Path.GetTempPath(), "lstmgen-docs-" + Guid.NewGuid().ToString("N") + extension);
                File.WriteAllText(file, text);
                start.Arguments = arguments + " \"" + file + "\"";
            }
            else
            {
                start.Arguments = arguments;
            }
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // not installed here
            }
            using (process)
            {
                if (extension.Length == 0)
                {
                    process.StandardInput.Write(text);
                    process.StandardInput.Close();
                }
                string error = process.StandardError.ReadToEnd();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode == 0 ? null : error.Trim();
            }
        }
        finally
        {
            if (file is not null) File.Delete(file);
        }
    }
}
