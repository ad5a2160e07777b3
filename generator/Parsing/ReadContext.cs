using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>What every reading step needs: the file name for messages, where to report, and the diagnostics so far.</summary>
    internal sealed class ReadContext
    {
        public ReadContext(string fileName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        {
            FileName = fileName;
            Location = location;
            Diagnostics = diagnostics;
        }

        public string FileName { get; }

        public LocationInfo? Location { get; }

        public List<DiagnosticInfo> Diagnostics { get; }

        public ModelReadException Invalid(string reason)
            => new ModelReadException(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModel, Location, FileName, reason));

        public ModelReadException Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] args)
            => new ModelReadException(DiagnosticInfo.Create(descriptor, Location, args));
    }
}
