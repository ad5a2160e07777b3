using System.IO;
using System.Text;
using LstmGen.Generator;
using LstmGen.Import;

namespace LstmGen.Tool;

/// <summary>The text the generator would read for a model file: its own JSON, or its import document.</summary>
internal static class ModelText
{
    public static ModelSource Read(Arguments arguments)
    {
        string name = Path.GetFileName(arguments.Input);
        if (arguments.Weights is null && ModelImporter.Detect(arguments.Input) == ModelFileKind.OtherJson)
        {
            return new ModelSource(name, arguments.Input, File.ReadAllText(arguments.Input), IsImport: false);
        }
        using var stream = new MemoryStream();
        try
        {
            ImportDocumentWriter.Write(stream, ModelImporter.Import(arguments.Input, arguments.Weights));
        }
        catch (ImportException e)
        {
            stream.SetLength(0);
            ImportDocumentWriter.WriteError(stream, name, e);
        }
        return new ModelSource(name, arguments.Input, Encoding.UTF8.GetString(stream.ToArray()), IsImport: true);
    }

    public static string Describe(ImportException e)
        => e.Message + (e.Where is null ? "" : " (at " + e.Where + ")") + (e.Help is null ? "" : "; " + e.Help);
}
