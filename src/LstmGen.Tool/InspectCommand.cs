using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tool;

/// <summary>What LstmGen makes of a model file: its layers and shapes, or the diagnostics that stop it.</summary>
internal static class InspectCommand
{
    public static int Run(Arguments arguments, TextWriter output, TextWriter error)
    {
        var source = ModelText.Read(arguments);
        KerasModelReader.Result result = KerasModelReader.Read(source, location: null, CancellationToken.None);
        output.WriteLine("file:       " + arguments.Input + (arguments.Weights is null ? "" : " + " + arguments.Weights));

        if (result.Model is ModelSpec model)
        {
            output.WriteLine("dialect:    " + model.Dialect);
            output.WriteLine("input:      " + (model.Timesteps?.ToString(CultureInfo.InvariantCulture) ?? "any number of") + " timesteps × "
                + model.Features.ToString(CultureInfo.InvariantCulture) + (model.Embedding is null ? " features (float)" : " token id (int)"));
            output.WriteLine("output:     " + model.OutputUnits.ToString(CultureInfo.InvariantCulture) + (model.OutputIsSequence ? " per timestep" : " floats"));
            output.WriteLine("parameters: " + model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture));
            output.WriteLine();
            int width = System.Math.Max(5, model.Layers.Max(l => l.Name.Length));
            output.WriteLine("  #  " + "layer".PadRight(width) + "  class                output        parameters");
            int index = 1;
            foreach (LayerSpec layer in model.Layers)
            {
                string shape = (layer.IsSequence ? "(T, " : "(") + layer.OutputSize.ToString(CultureInfo.InvariantCulture) + ")";
                output.WriteLine(index.ToString(CultureInfo.InvariantCulture).PadLeft(3) + "  " + layer.Name.PadRight(width) + "  " + layer.ClassName.PadRight(20)
                    + " " + shape.PadRight(13) + " " + layer.ParameterCount.ToString("N0", CultureInfo.InvariantCulture).PadLeft(10));
                index++;
            }
            output.WriteLine();
        }

        bool compiles = result.Model is not null;
        foreach (DiagnosticInfo info in result.Diagnostics)
        {
            Diagnostic diagnostic = info.ToDiagnostic();
            if (diagnostic.Severity == DiagnosticSeverity.Error) compiles = false;
            output.WriteLine(diagnostic.Severity.ToString().ToLowerInvariant() + " " + diagnostic.Id + ": " + diagnostic.GetMessage(CultureInfo.InvariantCulture));
        }
        output.WriteLine(compiles ? "LstmGen compiles this model." : "LstmGen does not compile this model.");
        return compiles ? 0 : 1;
    }
}
