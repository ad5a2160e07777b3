using System;
using System.IO;
using System.Threading.Tasks;
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
    public async Task Truncated_hdf5_is_an_import_error(string directory, string file)
    {
        byte[] bytes = File.ReadAllBytes(TfjsKerasRealWorld.Path(Path.Combine(directory, file)));
        foreach (double fraction in new[] { 0.001, 0.01, 0.1, 0.5, 0.9, 0.999 })
        {
            string path = Path.Combine(_dir, "cut_" + file);
            File.WriteAllBytes(path, bytes.AsSpan(0, Math.Max(8, (int)(bytes.Length * fraction))).ToArray());
            ImportException e = await FailsWithinTimeout(path);
            Assert.False(string.IsNullOrEmpty(e.Message));
        }
    }

    [Fact]
    public async Task Zeroed_tail_is_an_import_error()
    {
        string path = Path.Combine(_dir, "bigru_model.h5");
        byte[] bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, bytes.Length / 2, bytes.Length / 2);
        File.WriteAllBytes(path, bytes);
        await FailsWithinTimeout(path);
    }

    /// <summary>
    /// A hang shows as a TimeoutException failing the test. The bound only tells a hang from slow work: it once took
    /// 39 s on 2 busy cores, so it is far above any import's time, not a speed target.
    /// </summary>
    private static async Task<ImportException> FailsWithinTimeout(string path)
    {
        Exception? e = await Task.Run(() => Record.Exception(() => ModelImporter.Import(path))).WaitAsync(TimeSpan.FromMinutes(3));
        return Assert.IsType<ImportException>(e);
    }
}
