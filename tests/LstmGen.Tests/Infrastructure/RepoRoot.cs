using System;
using System.IO;

namespace LstmGen.Tests.Infrastructure;

/// <summary>The repository root, found by walking up from the test binaries to LstmGen.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LstmGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("LstmGen.sln not found above " + AppContext.BaseDirectory);
    }
}
