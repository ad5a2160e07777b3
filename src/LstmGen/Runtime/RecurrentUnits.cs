using System;
using System.ComponentModel;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Called by <see cref="CoreTeam"/> for generated code: for units <c>[start, end)</c> of one LSTM layer (whole
    /// column panels in each gate), adds h·U to those units' four gate columns of <c>z</c>, then updates their cell
    /// states in <c>c</c> and writes their new hidden states to <c>next</c> (never to <c>h</c>, which the other
    /// threads are still reading; <c>next</c> may be <c>h</c> only when one call covers every unit). Each column and
    /// each unit are computed as in the layer's one-thread step.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public delegate void RecurrentUnits(Span<float> z, ReadOnlySpan<float> h, Span<float> c, Span<float> next, int start, int end, bool reverse);
}
