using System;

namespace LstmGen.Import;

/// <summary>
/// A model file that cannot be imported. <see cref="Where"/> names the spot (a shard, an HDF5 dataset, an ONNX
/// node) and <see cref="Help"/> says what to do; both reach the user in the generator's diagnostic.
/// </summary>
internal sealed class ImportException : Exception
{
    public ImportException(string message, string? where = null, string? help = null, Exception? inner = null)
        : base(message, inner)
    {
        Where = where;
        Help = help;
    }

    public string? Where { get; }

    public string? Help { get; }
}
