// A consumer that knows LstmGen only through its NuGet package.
// The model is the one-unit LSTM worked by hand: x = 2 gives h = 0.6124943.
using LstmGen;

float[] output = new float[WorkedExample.OutputLength];
WorkedExample.Predict(new float[] { 2f }, output);
float[] unrolled = new float[WorkedExampleUnrolled.OutputLength];
WorkedExampleUnrolled.Predict(new float[] { 2f }, unrolled);

Console.WriteLine($"{Environment.Version}: h = {output[0]:R}, unrolled h = {unrolled[0]:R}");
if (Math.Abs(output[0] - 0.6124943f) > 1e-6 || Math.Abs(unrolled[0] - 0.6124943f) > 1e-6)
{
    Console.WriteLine("wrong result");
    return 1;
}
return 0;

[LstmModel("Models/model.json")]
internal static partial class WorkedExample { }

[LstmModel("Models/model.json", Unroll = true)]
internal static partial class WorkedExampleUnrolled { }
