using System;

namespace LstmGen.Import.Keras;

/// <summary>
/// PureHDF reports a damaged file with whatever exception the broken structure leads to (end of stream, index out
/// of range, format errors): each becomes an <see cref="ImportException"/> naming the file.
/// </summary>
internal static class Hdf5Guard
{
    public static T Run<T>(string fileName, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ImportException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ImportException("'" + fileName + "' is not a readable HDF5 file (truncated or damaged?): " + e.GetType().Name + ": " + e.Message,
                where: fileName, help: "copy or download the file again, or save the model again", inner: e);
        }
    }
}
