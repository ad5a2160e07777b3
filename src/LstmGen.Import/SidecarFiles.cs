using System;
using System.IO;

namespace LstmGen.Import;

/// <summary>
/// Files a model names inside itself (tfjs shards, ONNX external data) are untrusted paths: they resolve only to
/// files in the model's own directory or below it, never outside (no "..", no rooted paths, no links out).
/// </summary>
internal static class SidecarFiles
{
    public static string Resolve(string modelPath, string relative, string what)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.IndexOf('\0') >= 0)
        {
            throw new ImportException(what + " has an empty or invalid path", where: what);
        }
        if (Path.IsPathRooted(relative) || relative.Contains(':'))
        {
            throw new ImportException(what + " '" + relative + "' is an absolute path; only files beside the model are read", where: what,
                help: "keep the model's files together in one directory and name them relative to it");
        }
        string directory = Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".");
        string full = Path.GetFullPath(Path.Combine(directory, relative.Replace('\\', '/')));
        string prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new ImportException(what + " '" + relative + "' points outside the model's directory; only files beside the model are read", where: what,
                help: "keep the model's files together in one directory and name them relative to it");
        }
        if (!File.Exists(full))
        {
            throw new ImportException(what + " '" + relative + "' does not exist beside the model", where: what,
                help: "copy every file the model names into the model's directory");
        }
        // A symbolic link could still lead out of the directory.
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !Path.GetFullPath(target.FullName).StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new ImportException(what + " '" + relative + "' is a link that leads outside the model's directory", where: what);
            }
        }
        return full;
    }
}
