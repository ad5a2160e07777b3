// A consumer that knows LstmGen only through its NuGet package.
// The model is the one-unit LSTM worked by hand: x = 2 gives h = 0.6124943. The other models (copied from
// tests/fixtures/models by run.sh) use the rest of the generated surface: token ids with a mask, a masked
// Bidirectional layer, an LSTM autoencoder and global pooling, each through Predict, PredictBatch and Step.
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

int failures = 0;

// Token ids (Embedding with mask_zero): the second sequence of a batch equals Predict on it, and Step follows it.
int[] ids = new int[2 * Tokens.InputLength];
for (int i = 0; i < ids.Length; i++) ids[i] = i % 3 == 0 ? 0 : i % Tokens.VocabularySize;
float[] tokenBatch = new float[2 * Tokens.OutputLength];
Tokens.PredictBatch(ids, 2, tokenBatch);
float[] tokenSingle = new float[Tokens.OutputLength];
Tokens.Predict(ids.AsSpan(Tokens.InputLength, Tokens.InputLength), tokenSingle);
failures += Check("token ids, PredictBatch", tokenBatch.AsSpan(Tokens.OutputLength), tokenSingle);
var state = default(Tokens.State);
float[] stepped = new float[Tokens.OutputLength];
for (int t = 0; t < Tokens.Timesteps; t++)
{
    Tokens.Step(ref state, ids.AsSpan(Tokens.InputLength + t, 1), stepped.AsSpan(t * Tokens.OutputUnits, Tokens.OutputUnits));
}
failures += Check("token ids, Step", stepped, tokenSingle);

// Masking into a Bidirectional LSTM, a sequence output; timestep 2 of the second sequence is masked (all zeros).
float[] masked = new float[2 * MaskedBidirectional.InputLength];
for (int i = 0; i < masked.Length; i++) masked[i] = MathF.Sin(i);
masked.AsSpan(MaskedBidirectional.InputLength + 2 * MaskedBidirectional.InputFeatures, MaskedBidirectional.InputFeatures).Clear();
failures += CheckBatch("masked Bidirectional", masked, 2, MaskedBidirectional.OutputLength, MaskedBidirectional.PredictBatch, MaskedBidirectional.Predict);

// An LSTM autoencoder (RepeatVector, TimeDistributed(Dense)) and global max pooling over a variable length.
float[] sequence = new float[3 * Autoencoder.InputLength];
for (int i = 0; i < sequence.Length; i++) sequence[i] = MathF.Cos(i);
failures += CheckBatch("autoencoder", sequence, 3, Autoencoder.OutputLength, Autoencoder.PredictBatch, Autoencoder.Predict);
float[] autoencoderOutputs = new float[3 * Autoencoder.OutputLength];
float[] pooled = new float[4 * 9 * Pooling.InputFeatures];
for (int i = 0; i < pooled.Length; i++) pooled[i] = MathF.Sin(0.3f * i);
failures += CheckBatch("global max pooling", pooled, 4, Pooling.OutputLength, Pooling.PredictBatch, Pooling.Predict);
float[] poolingOutput = new float[Pooling.OutputLength];

Console.WriteLine(failures == 0 ? "token ids, masking, autoencoder, pooling: PredictBatch and Step agree with Predict" : $"{failures} failures");

// Nothing allocates per call, in the configuration this was built in (run.sh builds Release and Debug).
#if DEBUG
const string configuration = "Debug";
#else
const string configuration = "Release";
#endif
float[] two = { 2f };
long allocated = 0;
for (int round = 0; round < 2; round++)
{
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < 100; i++)
    {
        WorkedExample.Predict(two, output);
        Tokens.Predict(ids.AsSpan(0, Tokens.InputLength), tokenSingle);
        Tokens.Step(ref state, ids.AsSpan(0, 1), stepped.AsSpan(0, Tokens.OutputUnits));
        Autoencoder.PredictBatch(sequence, 3, autoencoderOutputs);
        Pooling.Predict(pooled.AsSpan(0, 9 * Pooling.InputFeatures), poolingOutput);
    }
    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
}
Console.WriteLine($"{configuration} build: {allocated} bytes allocated by 500 calls of Predict, Step and PredictBatch");
if (allocated != 0) failures++;
return failures == 0 ? 0 : 1;

static int Check(string what, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
{
    if (actual.SequenceEqual(expected)) return 0;
    Console.WriteLine($"{what}: differs");
    return 1;
}

static int CheckBatch(string what, float[] inputs, int batch, int outputLength, BatchFunc predictBatch, SingleFunc predict)
{
    int sequenceLength = inputs.Length / batch;
    float[] outputs = new float[batch * outputLength];
    predictBatch(inputs, batch, outputs);
    int failed = 0;
    for (int b = 0; b < batch; b++)
    {
        float[] single = new float[outputLength];
        predict(inputs.AsSpan(b * sequenceLength, sequenceLength), single);
        failed += Check($"{what}, sequence {b}", outputs.AsSpan(b * outputLength, outputLength), single);
    }
    return failed;
}

[LstmModel("Models/model.json")]
internal static partial class WorkedExample { }

[LstmModel("Models/model.json", Unroll = true)]
internal static partial class WorkedExampleUnrolled { }

[LstmModel("Models/embedding_mask_zero_gru_seq.json")]
internal static partial class Tokens { }

[LstmModel("Models/keras2_mask_bidi_lstm_concat_seq.json")]
internal static partial class MaskedBidirectional { }

[LstmModel("Models/glue_autoencoder_repeat_vector.json")]
internal static partial class Autoencoder { }

[LstmModel("Models/keras3_glue_global_max_pooling_variable.json")]
internal static partial class Pooling { }

internal delegate void BatchFunc(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs);

internal delegate void SingleFunc(ReadOnlySpan<float> input, Span<float> output);
