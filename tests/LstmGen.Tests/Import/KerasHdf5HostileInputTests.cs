using System;
using System.IO;
using System.Threading;
using LstmGen.Import;

namespace LstmGen.Tests.Import;

/// <summary>Truncated copies of real HDF5 files give an ImportException: never a crash, never a hang.</summary>
public sealed class KerasHdf5HostileInputTests : IDisposable
{
    private readonly string _dir = TfjsKerasRealWorld.TempCopy("anushree_imdb_bigru_h5", "bigru_model.h5");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("anushree_imdb_bigru_h5", "bigru_model.h5")]
    [InlineData("vaishakh_phoneme_bilstm_h5", "bilstm_model.h5")]
    [InlineData("agampandeyy_sarcasm_h5", "model_weights.h5")]
    public void Truncated_hdf5_is_an_import_error(string directory, string file)
    {
        byte[] bytes = File.ReadAllBytes(TfjsKerasRealWorld.Path(Path.Combine(directory, file)));
        foreach (double fraction in new[] { 0.001, 0.01, 0.1, 0.5, 0.9, 0.999 })
        {
            string path = Path.Combine(_dir, "cut_" + file);
            File.WriteAllBytes(path, bytes.AsSpan(0, Math.Max(8, (int)(bytes.Length * fraction))).ToArray());
            ImportException e = FailsWithinTimeout(path);
            Assert.False(string.IsNullOrEmpty(e.Message));
        }
    }

    [Fact]
    public void Zeroed_tail_is_an_import_error()
    {
        string path = Path.Combine(_dir, "bigru_model.h5");
        byte[] bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, bytes.Length / 2, bytes.Length / 2);
        File.WriteAllBytes(path, bytes);
        FailsWithinTimeout(path);
    }

    /// <summary>
    /// A hang fails the test. The import runs on a thread of its own: on the thread pool it could wait behind other
    /// tests for a thread (a CI run once timed out that way after 39 s, though the imports take milliseconds). The
    /// bound only tells a hang from slow work; it is not a speed target.
    /// </summary>
    private static ImportException FailsWithinTimeout(string path)
    {
        Exception? e = null;
        var thread = new Thread(() => e = Record.Exception(() => ModelImporter.Import(path))) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "the import of " + path + " did not finish in 3 minutes (a hang)");
        return Assert.IsType<ImportException>(e);
    }
}
