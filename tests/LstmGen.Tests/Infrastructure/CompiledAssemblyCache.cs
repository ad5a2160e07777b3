using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// Lets test.sh's runs on the Vector256, Vector128 and scalar paths reuse the assemblies the first run compiled.
/// The generated C# does not depend on the CPU (the SIMD path is chosen when the JIT compiles the loaded IL), so
/// compiling the same sources again under each <c>DOTNET_Enable*</c> switch only costs time: about four minutes
/// per run, most of it binding and emitting the 199 fixture models. Off unless LSTMGEN_TEST_ASSEMBLY_CACHE names
/// a directory; the key is the full text of every syntax tree (the generated ones included), the optimization
/// level, the allowed warnings and the exact build of the LstmGen runtime referenced, so any change compiles anew.
/// </summary>
internal static class CompiledAssemblyCache
{
    private static readonly string? s_directory = Environment.GetEnvironmentVariable("LSTMGEN_TEST_ASSEMBLY_CACHE") is { Length: > 0 } d ? d : null;

    /// <summary>Where this compilation's image is (or would be) kept, or null when the cache is off.</summary>
    public static string? PathFor(Compilation compilation, string[] allowedWarnings)
    {
        if (s_directory is null) return null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData(new byte[] { 0 });
        }
        Add(compilation.Options.OptimizationLevel.ToString());
        Add(typeof(LstmModelAttribute).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(string.Join(",", allowedWarnings.OrderBy(w => w, StringComparer.Ordinal)));
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            Add(tree.FilePath);
            Add(tree.GetText().ToString());
        }
        return Path.Combine(s_directory, Convert.ToHexString(hash.GetHashAndReset()) + ".dll");
    }

    /// <summary>Writes the image under a temporary name first, so a concurrent reader never sees half a file.</summary>
    public static void Store(string path, byte[] image)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, path, overwrite: true);
    }
}
