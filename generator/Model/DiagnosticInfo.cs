using Microsoft.CodeAnalysis;

namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A diagnostic waiting to be reported: descriptor id, location and message arguments as strings,
    /// so it can travel through the cached pipeline (a <see cref="Diagnostic"/> cannot).
    /// </summary>
    /// <param name="Location">Where the user sees it: the attribute's path argument.</param>
    /// <param name="FileLocation">
    /// The spot in the weights file that caused it (line and column), reported as an additional location so
    /// IDEs and SARIF logs can take the user there; null when the whole file is at fault.
    /// </param>
    /// <param name="FilePosition">
    /// <paramref name="FileLocation"/> as "file(line,col)", appended to the message: command-line builds print only
    /// the primary location.
    /// </param>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments, LocationInfo? FileLocation = null, string? FilePosition = null)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            => new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments));

        public Diagnostic ToDiagnostic()
        {
            DiagnosticDescriptor descriptor = Diagnostics.DiagnosticDescriptors.ById(Id);
            object[] args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++)
            {
                // Names and values from the file must not forge lines in a build log.
                args[i] = DisplayText.Escape(Arguments[i], DisplayText.MaxArgumentLength);
            }
            Location[]? additional = FileLocation is null ? null : new[] { FileLocation.ToLocation() };
            if (FilePosition is not null)
            {
                descriptor = Diagnostics.DiagnosticDescriptors.WithFilePosition(descriptor, args.Length);
                System.Array.Resize(ref args, args.Length + 1);
                args[args.Length - 1] = DisplayText.Escape(FilePosition, DisplayText.MaxArgumentLength);
            }
            return Diagnostic.Create(descriptor, Location?.ToLocation(), additional, args);
        }
    }
}
