using System;

namespace LstmGen
{
    /// <summary>
    /// Compiles the Keras model in the given weights file into this <c>partial</c> class at build time:
    /// a static <c>Predict(ReadOnlySpan&lt;float&gt; input, Span&lt;float&gt; output)</c> plus shape constants.
    /// </summary>
    /// <remarks>
    /// The file must be an <c>&lt;AdditionalFiles Include="..." /&gt;</c> item of the project. It can be the file the
    /// model was saved as: a TensorFlow.js <c>model.json</c> (its shards are read from beside it), a Keras
    /// <c>.h5</c> or <c>.keras</c> file, an ONNX file, or LstmGen's JSON (a Keras <c>model.to_json()</c> topology where
    /// every layer also carries <c>"weights"</c>). See docs/bring-your-model.md.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class LstmModelAttribute : Attribute
    {
        /// <summary>Creates the attribute for the weights file at <paramref name="path"/> (relative to the project, or to this source file).</summary>
        public LstmModelAttribute(string path)
        {
            Path = path;
        }

        /// <summary>The path of the weights file, as given.</summary>
        public string Path { get; }

        /// <summary>
        /// Fully unrolls the timestep loop. Only possible when the model has a fixed number of timesteps;
        /// otherwise the generator warns (LSTMGEN010) and emits the loop.
        /// </summary>
        public bool Unroll { get; set; }

        /// <summary>
        /// A Keras <c>save_weights()</c> HDF5 file (Keras 2 or Keras 3 <c>.weights.h5</c>) holding the weights of the
        /// topology named by <see cref="Path"/> (a Keras <c>model.to_json()</c> file). Also an AdditionalFiles item.
        /// </summary>
        public string? Weights { get; set; }
    }
}
