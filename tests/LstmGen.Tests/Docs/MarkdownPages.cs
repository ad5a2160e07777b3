using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Docs;

/// <summary>
/// One fenced code block of a Markdown page. The info string is the language and then options, each <c>name</c> or
/// <c>name=value</c>: <c>file=Models/x.json</c> names a model file other blocks of the page use, <c>expect=ID,ID</c>
/// lists the diagnostics a model block must produce, <c>run</c> runs a program, <c>output</c> is what the <c>run</c>
/// block before it prints, <c>generated=Class</c> is an excerpt of the file generated for that class,
/// <c>fragment</c> is JSON that is not a whole model, and <c>ignore-test</c> opts a block out of every check.
/// </summary>
internal sealed record CodeBlock(string Page, int Line, string Language, IReadOnlyDictionary<string, string> Options, string Text)
{
    public bool Has(string option) => Options.ContainsKey(option);

    public string? Option(string name) => Options.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"{Page}:{Line} ```{Language}{string.Concat(Options.Select(o => " " + o.Key + (o.Value.Length > 0 ? "=" + o.Value : "")))}";
}

/// <summary>The repository's Markdown pages: README.md and everything under docs/, their code blocks, links and headings.</summary>
internal static class MarkdownPages
{
    /// <summary>Every page, as a path relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> All { get; } = FindAll();

    /// <summary>The pages whose C# and JSON blocks are compiled: all but the diagnostics pages, which DiagnosticDocsTests checks (their examples are deliberately broken models).</summary>
    public static IReadOnlyList<string> Compiled { get; } = All.Where(p => !p.StartsWith("docs/diagnostics/", StringComparison.Ordinal)).ToList();

    public static TheoryData<string> AllData() => ToData(All);

    public static TheoryData<string> CompiledData() => ToData(Compiled);

    private static TheoryData<string> ToData(IEnumerable<string> pages)
    {
        var data = new TheoryData<string>();
        foreach (string page in pages) data.Add(page);
        return data;
    }

    private static List<string> FindAll()
    {
        var pages = new List<string> { "README.md" };
        string docs = Path.Combine(RepoRoot.Path, "docs");
        pages.AddRange(Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoRoot.Path, p).Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal));
        return pages;
    }

    public static string FullPath(string page) => Path.Combine(RepoRoot.Path, page.Replace('/', Path.DirectorySeparatorChar));

    public static string[] Lines(string page) => File.ReadAllText(FullPath(page)).Replace("\r\n", "\n").Split('\n');

    private static readonly Regex s_fence = new(@"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)\s*(.*?)\s*$");

    /// <summary>The fenced code blocks of <paramref name="page"/>, in order.</summary>
    public static List<CodeBlock> Blocks(string page)
    {
        string[] lines = Lines(page);
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = s_fence.Match(lines[i]);
            if (!open.Success) continue;
            string indent = open.Groups[1].Value, fence = open.Groups[2].Value;
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string word in open.Groups[4].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = word.IndexOf('=');
                options[eq < 0 ? word : word[..eq]] = eq < 0 ? "" : word[(eq + 1)..];
            }
            var text = new StringBuilder();
            int j = i + 1;
            for (; j < lines.Length; j++)
            {
                string trimmed = lines[j].Trim();
                if (trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0])) break;
                string line = lines[j];
                text.Append(line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart()).Append('\n');
            }
            if (j == lines.Length) throw new InvalidOperationException($"{page}:{i + 1}: code block never closed");
            blocks.Add(new CodeBlock(page, i + 1, open.Groups[3].Value, options, text.ToString()));
            i = j;
        }
        return blocks;
    }

    /// <summary>The lines of <paramref name="page"/> outside code blocks, with their 1-based numbers.</summary>
    public static IEnumerable<(int Line, string Text)> Prose(string page)
    {
        string[] lines = Lines(page);
        string? fence = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = s_fence.Match(lines[i]);
            if (fence is null && open.Success)
            {
                fence = open.Groups[2].Value;
                continue;
            }
            if (fence is not null)
            {
                string trimmed = lines[i].Trim();
                if (trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0])) fence = null;
                continue;
            }
            yield return (i + 1, lines[i]);
        }
    }

    private static readonly Regex s_link = new(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)");
    private static readonly Regex s_codeSpan = new(@"`+[^`]*`+");

    /// <summary>Every link target in the prose of <paramref name="page"/> (inline code spans excluded).</summary>
    public static IEnumerable<(int Line, string Target)> Links(string page)
    {
        foreach ((int line, string text) in Prose(page))
        {
            foreach (Match m in s_link.Matches(s_codeSpan.Replace(text, "")))
            {
                yield return (line, m.Groups[1].Value);
            }
        }
    }

    /// <summary>The anchors GitHub makes of the page's headings (lower case, punctuation dropped, spaces to '-', repeats numbered).</summary>
    public static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((_, string text) in Prose(page))
        {
            Match heading = Regex.Match(text, @"^#{1,6}\s+(.*?)\s*#*\s*$");
            if (!heading.Success) continue;
            string slug = Slug(heading.Groups[1].Value);
            int n = counts.TryGetValue(slug, out int seen) ? seen : 0;
            counts[slug] = n + 1;
            anchors.Add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }

    public static string Slug(string heading)
    {
        // Link text counts, link targets do not: [text](target) → text.
        string text = Regex.Replace(heading, @"\[([^\]]*)\]\([^)]*\)", "$1");
        var slug = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_') slug.Append(c);
            else if (c == ' ') slug.Append('-');
        }
        return slug.ToString();
    }
}
