using System.IO;
using LstmGen.Import;

namespace LstmGen.Tool;

/// <summary>Writes the import document: LstmGen's JSON with the weights stored compactly, readable by [LstmModel].</summary>
internal static class ConvertCommand
{
    public static int Run(Arguments arguments, TextWriter output, TextWriter error)
    {
        ImportDocument document;
        try
        {
            document = ModelImporter.Import(arguments.Input, arguments.Weights);
        }
        catch (ImportException e)
        {
            error.WriteLine("lstmgen: " + Path.GetFileName(arguments.Input) + " could not be converted: " + ModelText.Describe(e));
            return 1;
        }
        string destination = arguments.Output!;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(destination));
        if (directory is not null) Directory.CreateDirectory(directory);
        using (FileStream stream = File.Create(destination))
        {
            ImportDocumentWriter.Write(stream, document);
        }
        output.WriteLine("wrote " + destination + " (" + document.Format + ", " + document.Weights.Count + " weight arrays)");
        foreach (string warning in document.Warnings) output.WriteLine("warning: " + warning);
        return 0;
    }
}
