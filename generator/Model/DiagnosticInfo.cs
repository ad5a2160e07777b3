using Microsoft.CodeAnalysis;

namespace LstmGen.Generator.Model
{
    /// <summary>
    /// A diagnostic waiting to be reported: descriptor id, location and message arguments as strings,
    /// so it can travel through the cached pipeline (a <see cref="Diagnostic"/> cannot).
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            => new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments));

        public Diagnostic ToDiagnostic()
        {
            DiagnosticDescriptor descriptor = Diagnostics.DiagnosticDescriptors.ById(Id);
            object[] args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Arguments[i];
            return Diagnostic.Create(descriptor, Location?.ToLocation(), args);
        }
    }
}
