using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// AdditionalFiles item metadata as the compiler passes it (build_metadata.AdditionalFiles.NAME), so tests can mark an
/// in-memory file as the LstmGen build step's import document of another file.
/// </summary>
internal sealed class ItemMetadataOptions(IReadOnlyDictionary<string, Dictionary<string, string>> byPath) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => byPath.TryGetValue(textFile.Path, out Dictionary<string, string>? values) ? new Options(values) : GlobalOptions;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
