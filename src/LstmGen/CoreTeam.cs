using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LstmGen
{
    /// <summary>
    /// Threads that help one <c>Predict</c> call of a large model: at every timestep each of them takes its share of a
    /// large LSTM's or GRU's units, computes their gates' columns of the products (whole column panels, so each core
    /// streams its own part of the matrices) and updates their cells, and the threads exchange only the new h (a GRU
    /// without reset_after meets twice, exchanging the reset r∘h too; where the units do not split evenly, they share
    /// the gate columns and the caller updates the cells). The numbers are the
    /// one-core <c>Predict</c>'s bit for bit: every column and every cell is computed by the same code, only on
    /// another core.
    /// </summary>
    /// <remarks>
    /// Create one team and reuse it: its threads are dedicated, spin briefly between timesteps and sleep between calls,
    /// so a call allocates nothing. A team serves one call at a time; a second call made while it is busy runs on its
    /// own thread alone (the same numbers). Dispose the team to end its threads.
    /// </remarks>
    public sealed class CoreTeam : IDisposable
    {
        /// <summary>How long a helper thread spins for the next timestep before it sleeps (200 µs): far longer than the gap between timesteps, short against the time between calls.</summary>
        private static readonly long s_spinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;

        private readonly Thread[] _helpers;
        private readonly SemaphoreSlim[] _wake;
        private readonly int[] _sleeping;
        private int _generation;
        private int _completed;

        /// <summary>
        /// The parts of the step being computed, in one word: its generation (high 32 bits), its number of parts (next 16)
        /// and the next part to take (low 16). A part is taken by one compare-exchange of the whole word, so a thread
        /// still leaving one step can never take a part of the next by reading a count the caller is publishing.
        /// </summary>
        private long _claims;

        /// <summary>The most parts a step is cut into: the claims word holds the count in 16 bits.</summary>
        private const int MaxParts = ushort.MaxValue;

        /// <summary>The parts a step is cut into at most: one per thread, within <see cref="MaxParts"/>.</summary>
        private readonly int _maxParts;
        private int _busy;
        private volatile bool _disposed;

        // The step being computed, published before _generation is raised: the columns' product, or an LSTM's units' (then
        // _c and _next too), or a GRU's units' (then _next).
        private unsafe float* _z;
        private unsafe float* _h;
        private unsafe float* _c;
        private unsafe float* _next;
        private int _zLength, _hLength, _columns, _granularity, _parts;
        private bool _reverse;
        private Runtime.RecurrentColumns? _product;
        private Runtime.RecurrentUnits? _unitsProduct;
        private Runtime.GruUnits? _gruUnits;
        private Exception? _error;

        /// <summary>The units' new hidden states while the threads still read the previous ones; grown on first use.</summary>
        private float[] _nextHidden = Array.Empty<float>();

        /// <summary>A team of one thread per processor, the caller included.</summary>
        public CoreTeam()
            : this(Environment.ProcessorCount)
        {
        }

        /// <summary>A team of <paramref name="threads"/> threads, the caller included (so <paramref name="threads"/> − 1 are started).</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        public CoreTeam(int threads)
        {
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "A team needs at least one thread (the caller's).");
            Threads = threads;
            _maxParts = Math.Min(threads, MaxParts);
            _helpers = new Thread[threads - 1];
            _wake = new SemaphoreSlim[threads - 1];
            _sleeping = new int[threads - 1];
            for (int i = 0; i < _helpers.Length; i++)
            {
                _wake[i] = new SemaphoreSlim(0);
                int index = i;
                _helpers[i] = new Thread(() => HelperLoop(index)) { IsBackground = true, Name = $"LstmGen CoreTeam {index + 1}" };
                _helpers[i].Start();
            }
        }

        /// <summary>The threads that share a timestep's work, the caller included.</summary>
        public int Threads { get; }

        /// <summary>
        /// Called by generated code: computes <paramref name="product"/> over <paramref name="columns"/> columns,
        /// cut into parts of whole <paramref name="granularity"/>-column panels, one per thread; returns when all are done.
        /// </summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public unsafe void Run(Span<float> z, ReadOnlySpan<float> h, int columns, int granularity, Runtime.RecurrentColumns product, bool reverse)
        {
            if (product is null) throw new ArgumentNullException(nameof(product));
            int parts = Math.Min(_maxParts, columns / Math.Max(1, granularity));
            if (parts <= 1 || _disposed || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                product(z, h, 0, columns, reverse);
                return;
            }
            try
            {
                fixed (float* pz = z)
                fixed (float* ph = h)
                {
                    _z = pz;
                    _h = ph;
                    _zLength = z.Length;
                    _hLength = h.Length;
                    _product = product;
                    RunParts(columns, granularity, parts, reverse);
                }
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        /// <summary>
        /// Called by generated code for one LSTM timestep: when the units (<paramref name="c"/>.Length, whole
        /// <paramref name="granularity"/>-unit blocks) split evenly among the threads, each thread computes its units'
        /// gates and cells (<paramref name="units"/>), the new h is copied in once all are done, and this returns true
        /// (DeepCPU's split: a thread reads only its own part of the matrix and its own cells, the threads exchange
        /// only h). Otherwise the threads share the gate columns (<paramref name="columns"/>) and this returns false:
        /// the caller then updates the cells.
        /// </summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public bool Run(Span<float> z, Span<float> h, Span<float> c, int granularity, Runtime.RecurrentColumns columns, Runtime.RecurrentUnits units, bool reverse)
        {
            if (columns is null) throw new ArgumentNullException(nameof(columns));
            if (units is null) throw new ArgumentNullException(nameof(units));
            int count = c.Length;
            if (h.Length != count || z.Length < 4L * count || granularity < 1) throw new ArgumentException("Expected z of 4 × units, h and c of units floats, and a positive granularity.");
            int parts = UnitParts(count, granularity, out bool even);
            if (parts > 1 && !even)
            {
                // Uneven blocks of units would leave one thread a larger share than the columns' split does.
                Run(z, h, 4 * count, granularity, columns, reverse);
                return false;
            }
            if (parts <= 1 || _disposed || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                // One call over every unit reads all of h before it writes any: h can take the new states itself.
                units(z, h, c, h, 0, count, reverse);
                return true;
            }
            RunUnitParts(z, h, c, granularity, parts, reverse, units, null, null);
            return true;
        }

        /// <summary>
        /// Called by generated code for one GRU timestep: when the units (<paramref name="h"/>.Length, whole
        /// <paramref name="granularity"/>-unit blocks) split evenly among the threads, each thread runs
        /// <paramref name="units"/> on its blocks (its units' columns of every product, then their reset or their
        /// cells), then, where given, all meet again for <paramref name="then"/> (a GRU without reset_after multiplies
        /// the reset r∘h of every unit), the new h is copied in once all are done, and this returns true. Otherwise it
        /// computes nothing and returns false: the caller then shares the columns with <see cref="Run(Span{float}, ReadOnlySpan{float}, int, int, Runtime.RecurrentColumns, bool)"/>.
        /// </summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public bool Run(Span<float> z, Span<float> h, int granularity, Runtime.GruUnits units, Runtime.GruUnits? then, bool reverse)
        {
            if (units is null) throw new ArgumentNullException(nameof(units));
            if (granularity < 1) throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Expected a positive granularity.");
            int parts = UnitParts(h.Length, granularity, out bool even);
            // Uneven blocks of units would leave one thread a larger share than the columns' split does.
            if (parts <= 1 || !even || _disposed || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            RunUnitParts(z, h, default, granularity, parts, reverse, null, units, then);
            return true;
        }

        /// <summary>
        /// The parts a step over <paramref name="count"/> units is cut into (one per thread, at most one per whole
        /// <paramref name="granularity"/>-unit block; 0 when the units are not whole blocks), and whether every part
        /// gets the same number of blocks.
        /// </summary>
        private int UnitParts(int count, int granularity, out bool even)
        {
            int blocks = count % granularity == 0 ? count / granularity : 0;
            int parts = Math.Min(_maxParts, blocks);
            even = parts > 0 && blocks % parts == 0;
            return parts;
        }

        /// <summary>
        /// With the team taken (<see cref="_busy"/>, released here): publishes a step split by units, an LSTM's
        /// (<paramref name="lstm"/>, with <paramref name="c"/>) or a GRU's (<paramref name="gru"/>, then
        /// <paramref name="then"/> where given, a second meeting), the new states going to a buffer of the team's,
        /// then copies them into <paramref name="h"/> once every part is done.
        /// </summary>
        private unsafe void RunUnitParts(Span<float> z, Span<float> h, Span<float> c, int granularity, int parts, bool reverse, Runtime.RecurrentUnits? lstm, Runtime.GruUnits? gru, Runtime.GruUnits? then)
        {
            int count = h.Length;
            try
            {
                if (_nextHidden.Length < count) _nextHidden = new float[count];
                fixed (float* pz = z)
                fixed (float* ph = h)
                fixed (float* pc = c)
                fixed (float* pn = _nextHidden)
                {
                    _z = pz;
                    _h = ph;
                    _c = pc;
                    _next = pn;
                    _zLength = z.Length;
                    _hLength = count;
                    _unitsProduct = lstm;
                    _gruUnits = gru;
                    RunParts(count, granularity, parts, reverse);
                    if (then is not null)
                    {
                        _gruUnits = then;
                        RunParts(count, granularity, parts, reverse);
                    }
                }
                _nextHidden.AsSpan(0, count).CopyTo(h);
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        /// <summary>
        /// Publishes the step (the pointers and the product are set), takes part 0 and any part no helper has taken,
        /// waits for the helpers' parts, then rethrows the first exception of any part.
        /// </summary>
        private void RunParts(int columns, int granularity, int parts, bool reverse)
        {
            _columns = columns;
            _granularity = granularity;
            _parts = parts;
            _reverse = reverse;
            _error = null;
            int generation = _generation + 1;
            Volatile.Write(ref _completed, 0);
            Volatile.Write(ref _claims, Claims(generation, parts, next: 1));
            Volatile.Write(ref _generation, generation);
            for (int i = 0; i < _helpers.Length; i++)
            {
                if (Interlocked.Exchange(ref _sleeping[i], 0) == 1) _wake[i].Release();
            }
            Exception? own = null;
            try
            {
                Compute(0);
            }
            catch (Exception e)
            {
                own = e;
            }
            // Then every part no helper has taken yet: a helper slow to wake, or not scheduled, costs no more
            // than doing its part here.
            TakeParts(generation);
            // The helpers write into the caller's spans: never return before the parts they took are done.
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _completed) != parts - 1) spinner.SpinOnce(sleep1Threshold: -1);
            _product = null;
            _unitsProduct = null;
            _gruUnits = null;
            Exception? error = own ?? _error;
            if (error is not null) ExceptionDispatchInfo.Capture(error).Throw();
        }

        private static long Claims(int generation, int parts, int next) => ((long)generation << 32) | ((long)parts << 16) | (uint)next;

        /// <summary>Computes part <paramref name="part"/> of the published step.</summary>
        private unsafe void Compute(int part)
        {
            (int start, int end) = Part(part);
            var z = new Span<float>(_z, _zLength);
            var h = new ReadOnlySpan<float>(_h, _hLength);
            if (_unitsProduct is { } units)
            {
                units(z, h, new Span<float>(_c, _hLength), new Span<float>(_next, _hLength), start, end, _reverse);
            }
            else if (_gruUnits is { } gru)
            {
                gru(z, h, new Span<float>(_next, _hLength), start, end, _reverse);
            }
            else
            {
                _product!(z, h, start, end, _reverse);
            }
        }

        /// <summary>Columns (or units) of part <paramref name="part"/>: an even share of the panels (or blocks of units).</summary>
        private (int Start, int End) Part(int part)
        {
            int panels = _columns / _granularity;
            int start = part * panels / _parts * _granularity;
            int end = part + 1 == _parts ? _columns : (part + 1) * panels / _parts * _granularity;
            return (start, end);
        }

        private void HelperLoop(int index)
        {
            int seen = 0;
            while (true)
            {
                long sleepAt = System.Diagnostics.Stopwatch.GetTimestamp() + s_spinTicks;
                while (Volatile.Read(ref _generation) == seen)
                {
                    if (_disposed) return;
                    if (System.Diagnostics.Stopwatch.GetTimestamp() < sleepAt)
                    {
                        Thread.SpinWait(8);
                        continue;
                    }
                    // Between calls: sleep. The exchange is a full fence, so either the caller sees the flag and wakes
                    // this thread, or this thread sees the new generation and does not sleep.
                    Interlocked.Exchange(ref _sleeping[index], 1);
                    if (Volatile.Read(ref _generation) == seen && !_disposed) _wake[index].Wait();
                    Interlocked.Exchange(ref _sleeping[index], 0);
                    sleepAt = System.Diagnostics.Stopwatch.GetTimestamp() + s_spinTicks;
                }
                if (_disposed) return;
                seen = Volatile.Read(ref _generation);
                TakeParts(seen);
            }
        }

        /// <summary>
        /// Takes and computes parts of step <paramref name="generation"/> until none is left. A thread that comes late
        /// finds the claims of a later step and takes nothing of this one.
        /// </summary>
        private void TakeParts(int generation)
        {
            while (true)
            {
                long claims = Volatile.Read(ref _claims);
                int part = (int)(claims & 0xFFFF), parts = (int)((claims >> 16) & 0xFFFF);
                if ((int)(claims >> 32) != generation || part >= parts) return;
                if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) != claims) continue;
                try
                {
                    Compute(part);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
                Interlocked.Increment(ref _completed);
            }
        }

        /// <summary>Ends the helper threads. A call after this runs on its caller's thread alone.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            foreach (SemaphoreSlim wake in _wake) wake.Release();
        }
    }
}
