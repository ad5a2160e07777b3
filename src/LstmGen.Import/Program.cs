using System;
using System.IO;

namespace LstmGen.Import;

/// <summary>
/// Command line used by the LstmGen build targets: <c>LstmGen.Import IN [--weights W] -o OUT.json</c>.
/// Always writes OUT (an import error becomes an error document the generator reports), and exits 0 unless
/// OUT cannot be written.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => ImportCommand.Run(args, Console.Out, Console.Error);
}
