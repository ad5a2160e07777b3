using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using LstmGen.Generator.Diagnostics;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>Every diagnostic links to its own page under docs/diagnostics/, and the page shows an example.</summary>
public sealed class DiagnosticDocsTests
{
    private const string HelpBase = "https://github.com/lstmgen/lstmgen/blob/main/docs/diagnostics/";

    /// <summary>Every descriptor, found by reflection so that a new one cannot be forgotten.</summary>
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (FieldInfo field in typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
                     .Where(f => f.FieldType == typeof(DiagnosticDescriptor)))
        {
            data.Add(((DiagnosticDescriptor)field.GetValue(null)!).Id);
        }
        return data;
    }

    private static DiagnosticDescriptor Descriptor(string id)
        => typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().Single(d => d.Id == id);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_links_to_its_own_page(string id)
        => Assert.Equal(HelpBase + id + ".md", Descriptor(id).HelpLinkUri);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_exists_and_says_what_triggers_it_an_example_and_the_fix(string id)
    {
        string path = Path.Combine(RepoRoot.Path, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), "no page " + path);
        string page = File.ReadAllText(path);
        Assert.StartsWith("# " + id + ": " + Descriptor(id).Title, page);
        Assert.Contains("## What triggers it", page);
        Assert.Contains("## How to fix it", page);
        Assert.Matches(new Regex(@"## Example\s+```[a-z]+\n[^`]+\n```", RegexOptions.Multiline), page);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Index_lists_the_page(string id)
        => Assert.Contains("[" + id + "](" + id + ".md)", File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "diagnostics", "README.md")));

    [Fact]
    public void Every_page_belongs_to_a_descriptor()
    {
        string[] ids = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().Select(d => d.Id).ToArray();
        foreach (string page in Directory.GetFiles(Path.Combine(RepoRoot.Path, "docs", "diagnostics"), "LSTMGEN*.md"))
        {
            Assert.Contains(Path.GetFileNameWithoutExtension(page), ids);
        }
    }
}
