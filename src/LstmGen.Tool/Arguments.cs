using System.Diagnostics.CodeAnalysis;

namespace LstmGen.Tool;

/// <summary>The command line: a command, the model file, and its options.</summary>
internal sealed record Arguments(string Command, string Input, string? Weights, string? Output)
{
    public static bool TryParse(string[] args, [NotNullWhen(true)] out Arguments? parsed, [NotNullWhen(false)] out string? problem)
    {
        parsed = null;
        string command = args[0];
        if (command is not ("convert" or "inspect"))
        {
            problem = "unknown command '" + command + "'";
            return false;
        }
        string? input = null, weights = null, output = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--weights" or "-w" when i + 1 < args.Length: weights = args[++i]; break;
                case "-o" or "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    if (args[i].StartsWith('-') || input is not null)
                    {
                        problem = "unexpected argument '" + args[i] + "'";
                        return false;
                    }
                    input = args[i];
                    break;
            }
        }
        if (input is null)
        {
            problem = "name the model file";
            return false;
        }
        if (command == "convert" && output is null)
        {
            problem = "convert needs -o OUT.json";
            return false;
        }
        parsed = new Arguments(command, input, weights, output);
        problem = null;
        return true;
    }
}
