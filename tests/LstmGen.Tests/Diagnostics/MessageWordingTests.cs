using System.Linq;
using LstmGen.Generator;
using LstmGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace LstmGen.Tests.Diagnostics;

/// <summary>Messages a command-line user can act on: the spot in the file, real layer names, plain counts, a did-you-mean.</summary>
public sealed class MessageWordingTests
{
    private const string Path = "/project/Models/m.json";

    private static string Lstm(string name = "\"name\": \"lstm\", ", string config = "", string weights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]")
        => "{\"class_name\": \"Sequential\", \"keras_version\": \"2.15.0\", \"config\": {\"layers\": [\n"
         + "  {\"class_name\": \"LSTM\", \"config\": {" + name + "\"units\": 1, \"batch_input_shape\": [null, 3, 1]" + config + "},\n"
         + "   \"weights\": " + weights + "}]}}";

    private static Diagnostic Single(string json, string id)
        => DiagnosticAssert.Single(GeneratorHarness.Run("[LstmGen.LstmModel(\"Models/m.json\")] public static partial class M { }", (Path, json)).GeneratorDiagnostics, id);

    [Fact]
    public void A_spot_in_the_file_is_in_the_message_and_an_additional_location()
    {
        var d = Single(Lstm(weights: "[[[0.1, 0.2, 0.3]], [[0.5, 0.6, 0.7, 0.8]], [0.1, 0.2, 0.3, 0.4]]"), "LSTMGEN006");
        Assert.EndsWith("(at m.json(3,16))", d.GetMessage());
        Assert.Equal(2, d.AdditionalLocations.Single().GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void An_unnamed_layer_is_named_by_its_place_and_class()
    {
        var d = Single(Lstm(name: "", config: ", \"stateful\": true"), "LSTMGEN005");
        Assert.StartsWith("Layer 1 (LSTM): stateful", d.GetMessage());
        Assert.DoesNotContain("lstm_1", d.GetMessage());
    }

    [Fact]
    public void A_wrong_number_of_arrays_is_counted_in_words()
    {
        var d = Single(Lstm(weights: "[[[0.1, 0.2, 0.3, 0.4]]]"), "LSTMGEN006");
        Assert.StartsWith("Layer 'lstm': 'weights' holds 1 array, expected 3 arrays (kernel, recurrent_kernel, bias)", d.GetMessage());
    }

    [Fact]
    public void A_ragged_row_is_named_with_its_length()
    {
        string weights = "[[[0.1, 0.2, 0.3, 0.4]], [[0.5, 0.6, 0.7]], [0.1, 0.2, 0.3, 0.4]]";
        var d = Single(Lstm(weights: weights).Replace("[[0.5, 0.6, 0.7]]", "[[0.5, 0.6, 0.7, 0.8]]").Replace("[[[0.1, 0.2, 0.3, 0.4]], [[0.5", "[[[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3]], [[0.5"), "LSTMGEN006");
        // The kernel is [1, 4]: the probe sees 2 rows first, so this is a shape mismatch; a ragged second row needs 2 rows expected.
        Assert.Contains("kernel has shape [2, 4], expected [1, 4]", d.GetMessage());
    }

    [Fact]
    public void A_ragged_row_of_a_matrix_says_which_row_and_how_many_values()
    {
        // A GRU-free check through Dense: kernel [2, 1] written as [[0.1], [0.2, 0.3]].
        const string json = """
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
              {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "batch_input_shape": [null, 3, 1]},
               "weights": [[[0, 0, 0, 0, 0, 0, 0, 0]], [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]], [0, 0, 0, 0, 0, 0, 0, 0]]}]}}
            """;
        var d = Single(json, "LSTMGEN006");
        Assert.Contains("Layer 'lstm': row 2 of recurrent_kernel has 7 values, expected 8 values (shape [2, 8])", d.GetMessage());
    }

    [Fact]
    public void An_unknown_key_near_a_known_one_gets_did_you_mean()
    {
        var d = Single(Lstm(config: ", \"retrun_sequences\": true"), "LSTMGEN013");
        Assert.Contains("option 'retrun_sequences' is not known to LstmGen and was ignored; did you mean 'return_sequences'?", d.GetMessage());
    }

    [Fact]
    public void An_unknown_key_far_from_every_known_one_gets_the_advice_to_check_it()
    {
        var d = Single(Lstm(config: ", \"fancy_new_option\": 1"), "LSTMGEN013");
        Assert.Contains("check that it does not change inference", d.GetMessage());
    }

    [Theory]
    [InlineData("return_sequence", "return_sequences")]
    [InlineData("units", null)]
    [InlineData("zzzzzzzz", null)]
    public void Edit_distance_suggests_only_near_candidates(string wanted, string? expected)
        => Assert.Equal(expected, EditDistance.Closest(wanted, new[] { "return_sequences", "units", "go_backwards" }));

    [Fact]
    public void Edit_distance_counts_insertions_deletions_and_substitutions()
    {
        Assert.Equal(0, EditDistance.Compute("lstm", "lstm"));
        Assert.Equal(2, EditDistance.Compute("retrun", "return"));
        Assert.Equal(3, EditDistance.Compute("kitten", "sitting"));
    }
}
