using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace LstmGen.Tests.Infrastructure;

/// <summary>
/// Snapshot testing with Verify's file conventions (Verify itself is not in our package mirror):
/// <c>{TestClass}.{TestMethod}.verified.cs</c> beside the test source, <c>.received.cs</c> written on a
/// mismatch, and <c>LSTMGEN_ACCEPT_SNAPSHOTS=1</c> to accept. Moving to Verify.SourceGenerators later means
/// replacing <see cref="Verify"/>'s body with <c>Verifier.Verify(...)</c>.
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "LSTMGEN_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, [CallerFilePath] string testFile = "", [CallerMemberName] string testName = "")
    {
        string directory = Path.GetDirectoryName(testFile)!;
        string prefix = Path.Combine(directory, Path.GetFileNameWithoutExtension(testFile) + "." + testName);
        string verifiedPath = prefix + ".verified.cs";
        string receivedPath = prefix + ".received.cs";
        actual = actual.Replace("\r\n", "\n");

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (verified == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        throw new Xunit.Sdk.XunitException(
            (verified is null ? $"No snapshot yet: {verifiedPath}\n" : $"Snapshot mismatch: {verifiedPath}\n" + Diff(verified, actual))
            + $"Received output written to {receivedPath}; review it, then rerun with {AcceptVariable}=1 to accept.");
    }

    private static string Diff(string expected, string actual)
    {
        var diff = InlineDiffBuilder.Diff(expected, actual);
        var text = new StringBuilder();
        int shown = 0;
        foreach (DiffPiece line in diff.Lines)
        {
            if (line.Type == ChangeType.Unchanged) continue;
            text.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").Append(line.Position).Append(": ").AppendLine(line.Text);
            if (++shown == 60)
            {
                text.AppendLine("... (more differences)");
                break;
            }
        }
        return text.ToString();
    }
}
