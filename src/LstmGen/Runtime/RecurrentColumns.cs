using System;
using System.ComponentModel;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Called by <see cref="CoreTeam"/> for generated code: <c>z[start..end) += h·U[:, start..end)</c> of one LSTM layer,
    /// whole column panels, every column computed as in the layer's one-thread step.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public delegate void RecurrentColumns(Span<float> z, ReadOnlySpan<float> h, int start, int end, bool reverse);
}
