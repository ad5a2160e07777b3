// A consumer that names model files as people have them, only through the NuGet package: a TensorFlow.js
// model.json + shard converted by the package's build step, the same model as LstmGen's JSON, and the JSON that
// the lstmgen tool wrote from the model.json. All three must give the same floats bit for bit.
using LstmGen;

float[] input = new float[FromTfjs.InputLength];
for (int i = 0; i < input.Length; i++) input[i] = MathF.Sin(i * 0.7f);
float[] a = new float[FromTfjs.OutputLength], b = new float[Plain.OutputLength], c = new float[Converted.OutputLength];
FromTfjs.Predict(input, a);
Plain.Predict(input, b);
Converted.Predict(input, c);
Console.WriteLine($"tfjs model.json: {string.Join(" ", a)}; JSON: {string.Join(" ", b)}; lstmgen convert: {string.Join(" ", c)}");
if (!a.AsSpan().SequenceEqual(b) || !a.AsSpan().SequenceEqual(c))
{
    Console.WriteLine("the imported model differs from the JSON model");
    return 1;
}
return 0;

[LstmModel("Models/tfjs_lstm/model.json")]
internal static partial class FromTfjs { }

[LstmModel("Models/plain.json")]
internal static partial class Plain { }

[LstmModel("Models/converted.json")]
internal static partial class Converted { }
