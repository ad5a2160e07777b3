using System.Text;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>A minimal indented text writer for generated source (always "\n" line endings, so output is byte-stable).</summary>
    internal sealed class IndentedWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        /// <summary>Where this file's large weight tensors are stored (<see cref="WeightsEmitter"/>).</summary>
        public WeightStorage Weights { get; set; } = new WeightStorage(Model.StringBudget.AssemblyFloats);

        /// <summary>
        /// The compilation is not optimized (a Debug build), so the JIT will not optimize this file's code either:
        /// matrix products call the runtime library's precompiled kernels (LstmGen.Runtime.MatrixProduct) instead of
        /// inline loops, no stage runs in registers, nothing is unrolled, and small tensors are arrays created once
        /// (a Debug build creates a new array for every read of <c>ReadOnlySpan&lt;float&gt; X =&gt; new float[] { ... }</c>).
        /// </summary>
        public bool DebugBuild { get; set; }

        /// <summary>The hardware tier whose code is being written (<see cref="PanelLayout.Tier"/>), or null outside any.</summary>
        public string? PanelTier { get; set; }

        /// <summary>
        /// Writes one line. Blank lines only separate: one where the last line was blank, right after a "{", or at
        /// the start is dropped, and a blank line before a "}" is taken back, so emitters need not track who wrote
        /// the last separator.
        /// </summary>
        public void Line(string line = "")
        {
            if (line.Length == 0)
            {
                if (_last is LastLine.Blank or LastLine.Open or LastLine.None) return;
                _text.Append('\n');
                _last = LastLine.Blank;
                return;
            }
            if (_last == LastLine.Blank && line[0] == '}')
            {
                _text.Length--;
            }
            _last = line == "{" ? LastLine.Open : LastLine.Text;
            {
                _text.Append(' ', _indent * 4);
                // Last line of defence: nothing written can start a new source line (a name with a line
                // separator in a comment would otherwise become code). Our own templates never contain these.
                _text.Append(DisplayText.Escape(line));
            }
            _text.Append('\n');
        }

        private LastLine _last;

        private enum LastLine
        {
            None,
            Blank,
            Open,
            Text,
        }

        /// <summary>Writes "{" and indents until the returned scope is disposed, which writes "}" + <paramref name="closing"/>.</summary>
        public Scope Block(string? header = null, string closing = "")
        {
            if (header is not null) Line(header);
            Line("{");
            _indent++;
            return new Scope(this, closing);
        }

        /// <summary>
        /// Opens a method of the compiled model. Each is marked AggressiveOptimization: compiled fully optimized on
        /// its first call instead of starting as unoptimized tier-0 code (which, for the loops here, runs many times
        /// slower until the tiered JIT replaces it in the background, a delay a long first call pays in full).
        /// </summary>
        public Scope Method(string signature, bool noInlining = false)
        {
            Line(noInlining
                ? "[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]"
                : "[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
            return Block(signature);
        }

        public void Indent() => _indent++;

        public void Outdent() => _indent--;

        public override string ToString() => _text.ToString();

        internal readonly struct Scope : System.IDisposable
        {
            private readonly IndentedWriter _writer;
            private readonly string _closing;

            public Scope(IndentedWriter writer, string closing)
            {
                _writer = writer;
                _closing = closing;
            }

            public void Dispose()
            {
                _writer._indent--;
                _writer.Line("}" + _closing);
            }
        }
    }
}
