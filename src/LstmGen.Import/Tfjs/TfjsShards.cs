using System;
using System.Collections.Generic;
using System.IO;

namespace LstmGen.Import.Tfjs;

/// <summary>A weight group's shard files read into one byte stream, each byte attributable to its shard.</summary>
internal sealed class TfjsShards
{
    /// <summary>Weights LstmGen imports stay far below this; a larger shard set is refused before it is read.</summary>
    public const long MaxGroupBytes = 1L << 31;

    private readonly List<(string Path, long Start, long Length)> _files;

    private TfjsShards(byte[] bytes, List<(string, long, long)> files)
    {
        Bytes = bytes;
        _files = files;
    }

    public byte[] Bytes { get; }

    /// <summary>Reads the group's shards (resolved beside the model only) after checking their sizes against the manifest.</summary>
    public static TfjsShards Read(string modelPath, TfjsWeightGroup group)
    {
        var files = new List<(string Path, string Full, long Start, long Length)>();
        long total = 0;
        foreach (string relative in group.Paths)
        {
            string full = SidecarFiles.Resolve(modelPath, relative, "shard '" + relative + "'");
            long length = new FileInfo(full).Length;
            files.Add((relative, full, total, length));
            total += length;
            if (total > MaxGroupBytes)
            {
                throw new ImportException("the shards of the weight group holding '" + group.Weights[0].Name + "' exceed " + (MaxGroupBytes >> 20) + " MiB",
                    where: "shard '" + relative + "'", help: "LstmGen compiles weights into the assembly; a model this large is out of its reach");
            }
        }
        CheckSize(group, files.ConvertAll(f => (f.Path, f.Start, f.Length)), total);

        var bytes = new byte[total];
        foreach ((string path, string full, long start, long length) in files)
        {
            using FileStream stream = File.OpenRead(full);
            int read = stream.ReadAtLeast(bytes.AsSpan((int)start, (int)length), (int)length, throwOnEndOfStream: false);
            if (read != length || stream.ReadByte() >= 0)
            {
                throw new ImportException("shard '" + path + "' changed size while it was read", where: "shard '" + path + "'",
                    help: "import again once the file is written completely");
            }
        }
        return new TfjsShards(bytes, files.ConvertAll(f => (f.Path, f.Start, f.Length)));
    }

    /// <summary>The manifest implies exactly the shards' byte count: too few names the first weight that runs past the end.</summary>
    private static void CheckSize(TfjsWeightGroup group, List<(string Path, long Start, long Length)> files, long total)
    {
        long offset = 0;
        foreach (TfjsWeightSpec weight in group.Weights)
        {
            long end = offset + weight.ByteLength;
            if (end > total)
            {
                string last = files[^1].Path;
                throw new ImportException(
                    "weight '" + weight.Name + "' (" + weight.StoredDtype + ", shape [" + string.Join(", ", weight.Shape) + "]) needs bytes "
                    + offset + ".." + end + " of its group, but the shards end at " + total + " bytes ('" + last + "' is the last shard)",
                    where: weight.Name,
                    help: "a shard is truncated or missing bytes; download or convert the model again so every shard is complete");
            }
            offset = end;
        }
        if (offset != total)
        {
            string where = files.Count > 0 ? "shard '" + ShardAt(files, offset) + "'" : "weightsManifest";
            throw new ImportException(
                "the shards hold " + total + " bytes but the manifest's weights need " + offset + " (" + (total - offset)
                + " extra bytes from " + where + " on)", where: where,
                help: "the shards do not belong to this model.json, or the manifest lists fewer weights than were saved; convert the model again");
        }
    }

    private static string ShardAt(List<(string Path, long Start, long Length)> files, long offset)
    {
        foreach ((string path, long start, long length) in files)
        {
            if (offset < start + length) return path;
        }
        return files[^1].Path;
    }

    public int ShardCount => _files.Count;
}
