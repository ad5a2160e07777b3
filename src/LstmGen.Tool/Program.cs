using System;
using System.IO;

namespace LstmGen.Tool;

/// <summary><c>lstmgen convert IN [--weights W] -o OUT.json</c> and <c>lstmgen inspect IN [--weights W]</c>.</summary>
internal static class Program
{
    private const string Usage = """
        lstmgen: LstmGen's model converter

          lstmgen convert MODEL [--weights WEIGHTS.h5] -o OUT.json
              Converts a TensorFlow.js model.json (+ shards), a Keras .h5 / .keras file, or an ONNX file to a JSON file
              that [LstmModel("OUT.json")] compiles without the build step (commit it if you prefer).
          lstmgen inspect MODEL [--weights WEIGHTS.h5]
              Prints the layers, shapes, parameter count and dialect, and whether LstmGen compiles the model
              (with the diagnostic if not). Exit code 0 when it compiles, 1 when not.

          --weights  a Keras save_weights() HDF5 file for a to_json() topology given as MODEL
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        if (!Arguments.TryParse(args, out Arguments? parsed, out string? problem))
        {
            Console.Error.WriteLine("lstmgen: " + problem);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (!File.Exists(parsed.Input))
        {
            Console.Error.WriteLine("lstmgen: no such file: " + parsed.Input);
            return 2;
        }
        return parsed.Command == "convert"
            ? ConvertCommand.Run(parsed, Console.Out, Console.Error)
            : InspectCommand.Run(parsed, Console.Out, Console.Error);
    }
}
