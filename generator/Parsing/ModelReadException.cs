using System;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Stops reading a model at the first error that makes the rest meaningless. Thrown and caught only
    /// inside <see cref="KerasModelReader"/>; it never leaves the reader.
    /// </summary>
    internal sealed class ModelReadException : Exception
    {
        public ModelReadException(DiagnosticInfo diagnostic)
            : base(diagnostic.Id)
        {
            Diagnostic = diagnostic;
        }

        public DiagnosticInfo Diagnostic { get; }
    }
}
