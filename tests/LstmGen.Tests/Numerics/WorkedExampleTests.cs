using LstmGen.Tests.Infrastructure;

namespace LstmGen.Tests.Numerics;

/// <summary>
/// The one-unit LSTM worked by hand (shared/seeds/001): x = 2, kernel [0, 1, 4, 1], recurrent [3, 2, -5, 4],
/// bias [1, 2, 3, 2]. From h = c = 0: i = σ(1) , f = σ(4), c̃ = tanh(11), o = σ(4)... the document derives
/// c = 0.7310586 and h = 0.6124943 (independently of this code).
/// </summary>
public sealed class WorkedExampleTests
{
    private const string Model = """
        {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"layers": [
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 1, "batch_input_shape": [null, 1, 1], "return_sequences": true},
           "weights": [[[0, 1, 4, 1]], [[3, 2, -5, 4]], [1, 2, 3, 2]]}]}}
        """;

    [Fact]
    public void One_unit_lstm_gives_the_hand_derived_hidden_state()
    {
        var outcome = GeneratorHarness.Run(
            "[LstmGen.LstmModel(\"Models/worked.json\")] public static partial class Worked { }",
            ("/project/Models/worked.json", Model));
        var predict = GeneratedModel.Predict(outcome.Load(), "Worked");

        float[] output = new float[1];
        predict(new[] { 2f }, output);

        Assert.Equal(0.6124943f, output[0], 6);
    }
}
