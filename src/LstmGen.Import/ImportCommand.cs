using System;
using System.IO;

namespace LstmGen.Import;

/// <summary>Converts one model file to an import document on disk (see <see cref="Program"/>).</summary>
internal static class ImportCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? input = null, weights = null, destination = null;
        if (args.Length == 2 && args[0] == "--batch")
        {
            return ImportBatch.Run(args[1], output);
        }
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--weights" when i + 1 < args.Length: weights = args[++i]; break;
                case "-o" or "--output" when i + 1 < args.Length: destination = args[++i]; break;
                default: input ??= args[i]; break;
            }
        }
        if (input is null || destination is null)
        {
            error.WriteLine("usage: LstmGen.Import MODEL [--weights WEIGHTS.h5] -o OUT.json | LstmGen.Import --batch LIST");
            return 2;
        }
        Write(input, weights, destination);
        return 0;
    }

    /// <summary>Imports and writes atomically (a temporary file renamed over the destination).</summary>
    public static void Write(string input, string? weights, string destination)
    {
        string temporary = destination + ".tmp";
        using (FileStream stream = File.Create(temporary))
        {
            try
            {
                ImportDocument document = ModelImporter.Import(input, weights);
                ImportDocumentWriter.Write(stream, document);
            }
            catch (ImportException e)
            {
                stream.SetLength(0);
                ImportDocumentWriter.WriteError(stream, Path.GetFileName(input), e);
            }
        }
        File.Move(temporary, destination, overwrite: true);
    }
}
