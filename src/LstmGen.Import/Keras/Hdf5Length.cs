using System;
using System.Buffers.Binary;
using System.IO;

namespace LstmGen.Import.Keras;

/// <summary>
/// An HDF5 superblock records the file's end address: a shorter file is truncated even when the parts LstmGen
/// reads happen to survive (a cut-off optimizer state), so it is refused before PureHDF reads anything.
/// </summary>
internal static class Hdf5Length
{
    public static void Check(Stream stream, string where)
    {
        var head = new byte[64];
        stream.Position = 0;
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read < 16) throw Truncated(where, stream.Length);
        int version = head[8];
        int offsetSize, start;
        switch (version)
        {
            case 0 or 1:
                offsetSize = head[13];
                start = version == 0 ? 24 : 28;
                break;
            case 2 or 3:
                offsetSize = head[9];
                start = 12;
                break;
            default:
                return; // a superblock PureHDF may know better; let it decide
        }
        if (offsetSize is not (4 or 8)) return;
        int baseAt = start, endAt = start + 2 * offsetSize;
        if (read < endAt + offsetSize) throw Truncated(where, stream.Length);
        ulong baseAddress = Address(head, baseAt, offsetSize), end = Address(head, endAt, offsetSize);
        if (baseAddress + end > (ulong)stream.Length) throw Truncated(where, stream.Length, baseAddress + end);
    }

    private static ulong Address(byte[] head, int at, int size)
        => size == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(at));

    private static ImportException Truncated(string where, long length, ulong? expected = null)
        => new("'" + where + "' is a truncated HDF5 file (" + length + " bytes" + (expected is null ? "" : ", its header says " + expected) + ")",
            where: where, help: "copy or download the file again, or save the model again");
}
