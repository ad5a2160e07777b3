using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// A GRU's Keras weights regrouped for the generated code: the z and r columns (which share one product
    /// with h) apart from the candidate's h columns (which need r first), each a contiguous row-major matrix.
    /// With reset_after the z and r biases are summed here once, since they are added to the same sum.
    /// </summary>
    internal sealed class GruWeights
    {
        public GruWeights(GruLayerSpec gru)
        {
            int u = gru.Units;
            KernelZR = Columns(gru.Kernel, 0, 2 * u);
            KernelH = Columns(gru.Kernel, 2 * u, u);
            RecurrentKernelZR = Columns(gru.RecurrentKernel, 0, 2 * u);
            RecurrentKernelH = Columns(gru.RecurrentKernel, 2 * u, u);
            if (gru.Bias is null) return;
            if (!gru.ResetAfter)
            {
                BiasZR = Slice(gru.Bias, 0, 2 * u);
                BiasH = Slice(gru.Bias, 2 * u, u);
                return;
            }
            // bias (2, 3u): row 0 is the input bias, row 1 the recurrent bias.
            var zr = new float[2 * u];
            for (int j = 0; j < 2 * u; j++) zr[j] = gru.Bias.Values[j] + gru.Bias.Values[(3 * u) + j];
            BiasZR = new Tensor(zr, new[] { 2 * u });
            BiasH = Slice(gru.Bias, 2 * u, u);
            RecurrentBiasH = Slice(gru.Bias, 5 * u, u);
        }

        /// <summary>Kernel columns of gates z, r: (in, 2u).</summary>
        public Tensor KernelZR { get; }

        /// <summary>Kernel columns of the candidate h: (in, u).</summary>
        public Tensor KernelH { get; }

        /// <summary>Recurrent kernel columns of gates z, r: (u, 2u).</summary>
        public Tensor RecurrentKernelZR { get; }

        /// <summary>Recurrent kernel columns of the candidate h: (u, u).</summary>
        public Tensor RecurrentKernelH { get; }

        /// <summary>Bias of gates z, r (with reset_after: input plus recurrent bias), or null without bias.</summary>
        public Tensor? BiasZR { get; }

        /// <summary>Bias of the candidate's input part (with reset_after: the input bias).</summary>
        public Tensor? BiasH { get; }

        /// <summary>With reset_after: the recurrent bias of the candidate, which r multiplies with h·U_h.</summary>
        public Tensor? RecurrentBiasH { get; }

        private static Tensor Columns(Tensor matrix, int start, int count)
        {
            int rows = matrix.Shape[0], columns = matrix.Shape[1];
            var values = new float[rows * count];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < count; j++) values[(i * count) + j] = matrix.Values[(i * columns) + start + j];
            }
            return new Tensor(values, new[] { rows, count });
        }

        private static Tensor Slice(Tensor bias, int start, int count)
        {
            var values = new float[count];
            for (int j = 0; j < count; j++) values[j] = bias.Values[start + j];
            return new Tensor(values, new[] { count });
        }
    }
}
