using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// What every reading step needs: the file (name for messages, path and text for locations), where to
    /// report, and the diagnostics so far.
    /// </summary>
    internal sealed class ReadContext
    {
        private readonly string _filePath;
        private readonly string _text;

        private readonly bool _locate;

        /// <param name="locate">False for an import document: a spot in the converted file under obj/ means nothing to the user.</param>
        public ReadContext(string fileName, string filePath, string text, LocationInfo? location, List<DiagnosticInfo> diagnostics, bool locate = true)
        {
            _locate = locate;
            FileName = fileName;
            _filePath = filePath;
            _text = text;
            Location = location;
            Diagnostics = diagnostics;
        }

        public string FileName { get; }

        public LocationInfo? Location { get; }

        public List<DiagnosticInfo> Diagnostics { get; }

        /// <summary>
        /// A diagnostic on the attribute that also points at <paramref name="at"/> in the weights file: as an additional
        /// location (IDEs, SARIF) and as "file(line,col)" in the message (what a command-line build shows).
        /// </summary>
        public DiagnosticInfo Create(DiagnosticDescriptor descriptor, JsonNode? at, params string[] args)
        {
            LocationInfo? spot = At(at);
            return new DiagnosticInfo(descriptor.Id, Location, new EquatableArray<string>(args), spot, spot is null ? null : Position(spot));
        }

        /// <summary>The spot as compilers write it: the file name the user knows, 1-based line and column.</summary>
        private string Position(LocationInfo spot)
        {
            var start = spot.LineSpan.Start;
            return FileName + "(" + (start.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ","
                + (start.Character + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
        }

        /// <summary>LSTMGEN010 (not a model LstmGen can read), pointing at the node that shows it.</summary>
        public ModelReadException Invalid(string reason, JsonNode? at = null)
            => new ModelReadException(Create(DiagnosticDescriptors.InvalidModel, at, FileName, reason));

        public ModelReadException Fail(DiagnosticDescriptor descriptor, params string[] args)
            => new ModelReadException(Create(descriptor, null, args));

        public ModelReadException FailAt(DiagnosticDescriptor descriptor, JsonNode? at, params string[] args)
            => new ModelReadException(Create(descriptor, at, args));

        public LocationInfo? At(JsonNode? node)
            => node is null || node.Line < 1 || !_locate ? null : AtPosition(node.Line, node.Column);

        public LocationInfo AtPosition(int line, int column)
            => TextPosition.Locate(_filePath, _text, line, column);
    }
}
