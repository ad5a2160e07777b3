using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace LstmGen.Import;

/// <summary>
/// The build step (build/LstmGen.targets): a list of "model TAB output" lines, one per AdditionalFiles item that may
/// need importing. An item whose inputs are unchanged since its last import is skipped, so a rebuild re-imports
/// nothing; JSON that is not a TensorFlow.js model.json gets no output (the generator reads it directly).
/// </summary>
internal static class ImportBatch
{
    public static int Run(string listPath, TextWriter log)
    {
        int imported = 0, skipped = 0;
        foreach (string line in File.ReadAllLines(listPath))
        {
            if (line.Length == 0) continue;
            string[] parts = line.Split('\t');
            if (parts.Length != 2) continue;
            string input = parts[0], output = parts[1];
            string depsPath = output + ".deps";
            // Sniffed once: a JSON item is read up to 4 MB to tell a tfjs model.json from LstmGen's own JSON.
            bool importable = !File.Exists(input) || ModelImporter.Detect(input) != ModelFileKind.OtherJson;
            string deps = Dependencies(input, importable);
            if (File.Exists(depsPath) && File.ReadAllText(depsPath) == deps)
            {
                skipped++;
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            if (!importable)
            {
                File.Delete(output); // LstmGen's own JSON or a bare topology: nothing to import
            }
            else
            {
                ImportCommand.Write(input, weights: null, output);
                imported++;
            }
            File.WriteAllText(depsPath, deps);
        }
        log.WriteLine("LstmGen: imported " + imported + " model file(s), " + skipped + " unchanged");
        return 0;
    }

    /// <summary>
    /// What an import depends on: the importer itself and every file in the model's directory (shards, external
    /// data), each by size and time, so that changing any of them imports again.
    /// </summary>
    private static string Dependencies(string input, bool importable)
    {
        var text = new StringBuilder();
        string importer = Path.Combine(AppContext.BaseDirectory, "LstmGen.Import.dll");
        Append(text, importer);
        text.Append("format ").Append(ImportDocumentWriter.FormatVersion).Append('\n');
        string full = Path.GetFullPath(input);
        Append(text, full);
        string? directory = Path.GetDirectoryName(full);
        if (importable && directory is not null && Directory.Exists(directory) && File.Exists(full))
        {
            var files = new List<string>(Directory.GetFiles(directory));
            files.Sort(StringComparer.Ordinal);
            foreach (string file in files)
            {
                if (file != full) Append(text, file);
            }
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string path)
    {
        var info = new FileInfo(path);
        text.Append(path).Append('\t');
        if (info.Exists)
        {
            text.Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append("missing");
        }
        text.Append('\n');
    }
}
