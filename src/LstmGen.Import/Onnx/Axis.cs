namespace LstmGen.Import.Onnx;

/// <summary>
/// What one axis of the value flowing through the graph means: Batch, Time, Feature, Direction (ONNX's
/// num_directions axis), a Last-step axis of length 1, a Unit axis added by Unsqueeze, or graph input axis 0/1/2
/// ('0'..'2') until the first recurrent node tells which of them is time and which is batch.
/// </summary>
internal readonly record struct Axis(char Kind, long Size)
{
    public const char Batch = 'B', Time = 'T', Feature = 'F', Direction = 'D', Last = 'L', Unit = 'U';

    /// <summary>Size -1: only known at run time (a dynamic batch or sequence length).</summary>
    public bool IsKnown => Size >= 0;

    public bool IsInput => Kind is >= '0' and <= '9';

    public bool IsLengthOne => Kind is Last or Unit || Size == 1;
}
