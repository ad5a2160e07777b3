using System;
using System.ComponentModel;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Called by <see cref="CoreTeam"/> for generated code: one part of a GRU timestep for units <c>[start, end)</c>
    /// (whole column panels of every matrix): those units' columns of the products of <c>h</c> (or of the reset r∘h)
    /// added to the input parts the layer's scratch <c>z</c> holds, then their reset or their new hidden states,
    /// written to <c>next</c> (never to <c>h</c>, which the other threads are still reading). Each column and each unit
    /// are computed as in the layer's one-thread timestep.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public delegate void GruUnits(Span<float> z, ReadOnlySpan<float> h, Span<float> next, int start, int end, bool reverse);
}
