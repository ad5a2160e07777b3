using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LstmGen.Runtime
{
    /// <summary>
    /// Spreads a generated <c>PredictBatch</c> over several cores, called by generated code: the batch is cut into
    /// parts of whole 64-sequence blocks, the caller runs the first part and thread-pool threads the others, each
    /// through the single-threaded <c>PredictBatch</c> on its slice. Every sequence is computed as it would be in one
    /// call, so the rows are the same bit for bit. The work items and the wait handle are pooled: no allocation once
    /// warm.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class ParallelBatch
    {
        /// <summary>Sequences a generated PredictBatch computes together; parts are whole blocks of them.</summary>
        public const int BlockSequences = 64;

        /// <summary>A generated model's single-threaded PredictBatch.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public delegate void Runner<T>(ReadOnlySpan<T> inputs, int batchSize, Span<float> outputs);

        /// <summary>
        /// Runs <paramref name="predictBatch"/> over <paramref name="batchSize"/> sequences of
        /// <paramref name="sequenceLength"/> inputs, writing <paramref name="outputLength"/> floats each, on up to
        /// <paramref name="maxDegreeOfParallelism"/> threads (0 or less: one per processor). The caller has checked the
        /// arguments as the single-threaded call does.
        /// </summary>
        public static void Run<T>(ReadOnlyMemory<T> inputs, int batchSize, int sequenceLength, Memory<float> outputs, int outputLength, int maxDegreeOfParallelism, Runner<T> predictBatch)
        {
            if (predictBatch is null) throw new ArgumentNullException(nameof(predictBatch));
            int blocks = (int)(((long)batchSize + BlockSequences - 1) / BlockSequences);
            int threads = maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);
            int parts = Math.Max(1, Math.Min(threads, blocks));
            if (parts == 1)
            {
                predictBatch(inputs.Span.Slice(0, batchSize * sequenceLength), batchSize, outputs.Span);
                return;
            }

            Job<T> job = Pool<Job<T>>.Rent();
            job.Start(parts - 1);
            int queued = 0;
            try
            {
                for (int p = 1; p < parts; p++, queued++)
                {
                    (int first, int count) = Part(p, parts, blocks, batchSize);
                    Work<T> work = Pool<Work<T>>.Rent();
                    work.Set(job, predictBatch, inputs.Slice(first * sequenceLength, count * sequenceLength), count, outputs.Slice(first * outputLength, count * outputLength));
                    ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
                }
                (int _, int own) = Part(0, parts, blocks, batchSize);
                predictBatch(inputs.Span.Slice(0, own * sequenceLength), own, outputs.Span.Slice(0, own * outputLength));
            }
            finally
            {
                // The other parts write into the caller's memory: never return before they are done (parts that
                // could not be queued count as done).
                for (; queued < parts - 1; queued++) job.Finish(null);
                job.Wait();
                Exception? error = job.Error;
                Pool<Job<T>>.Return(job);
                if (error is not null) ExceptionDispatchInfo.Capture(error).Throw();
            }
        }

        /// <summary>The sequences of part <paramref name="p"/>: an even share of the blocks (the last block may be short).</summary>
        private static (int First, int Count) Part(int p, int parts, int blocks, int batchSize)
        {
            int firstBlock = (int)((long)p * blocks / parts), endBlock = (int)((long)(p + 1) * blocks / parts);
            int first = firstBlock * BlockSequences;
            return (first, Math.Min(endBlock * BlockSequences, batchSize) - first);
        }

        /// <summary>One call's parts in flight: a count of those not yet done, the first error, and the event the caller waits on.</summary>
        private sealed class Job<T>
        {
            private readonly ManualResetEventSlim _done = new ManualResetEventSlim(false);
            private readonly object _gate = new object();
            private int _pending;

            public Exception? Error { get; private set; }

            public void Start(int pending)
            {
                Error = null;
                _done.Reset();
                Volatile.Write(ref _pending, pending);
            }

            public void Finish(Exception? error)
            {
                if (error is not null)
                {
                    lock (_gate) Error ??= error;
                }
                if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
            }

            /// <summary>
            /// Waits for the event itself, never just for the count: the last part sets it after its decrement, and the
            /// job must not go back to the pool (and be reset for another call) before that set has happened.
            /// </summary>
            public void Wait() => _done.Wait();
        }

        /// <summary>A part run on a thread-pool thread; back in its pool before the job is told it is done.</summary>
        private sealed class Work<T> : IThreadPoolWorkItem
        {
            private Job<T>? _job;
            private Runner<T>? _predictBatch;
            private ReadOnlyMemory<T> _inputs;
            private Memory<float> _outputs;
            private int _count;

            public void Set(Job<T> job, Runner<T> predictBatch, ReadOnlyMemory<T> inputs, int count, Memory<float> outputs)
            {
                _job = job;
                _predictBatch = predictBatch;
                _inputs = inputs;
                _count = count;
                _outputs = outputs;
            }

            public void Execute()
            {
                Job<T> job = _job!;
                Exception? error = null;
                try
                {
                    _predictBatch!(_inputs.Span, _count, _outputs.Span);
                }
                catch (Exception e)
                {
                    error = e;
                }
                _job = null;
                _predictBatch = null;
                _inputs = default;
                _outputs = default;
                Pool<Work<T>>.Return(this);
                job.Finish(error);
            }
        }

        /// <summary>Reused instances of <typeparamref name="TItem"/>: a call rents what it needs and returns it when done.</summary>
        private static class Pool<TItem>
            where TItem : class, new()
        {
            private static readonly Stack<TItem> s_items = new Stack<TItem>();

            public static TItem Rent()
            {
                lock (s_items) return s_items.Count > 0 ? s_items.Pop() : new TItem();
            }

            public static void Return(TItem item)
            {
                lock (s_items) s_items.Push(item);
            }
        }
    }
}
