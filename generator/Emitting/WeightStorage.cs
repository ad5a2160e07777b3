using System.Collections.Generic;

namespace LstmGen.Generator.Emitting
{
    /// <summary>
    /// Where the large tensors of one generated file go: string constants while the model's share of the
    /// assembly's string heap lasts (<see cref="Model.StringBudget"/>), then base64 constant data that
    /// <see cref="EncodedWeightsEmitter"/> writes at the end of the kernel class.
    /// </summary>
    internal sealed class WeightStorage
    {
        public WeightStorage(int stringFloats) => StringFloats = stringFloats;

        /// <summary>Floats this file may still store as string constants.</summary>
        public int StringFloats { get; private set; }

        /// <summary>Tensors stored as base64, in the order they were declared.</summary>
        public List<KeyValuePair<string, IReadOnlyList<float>>> Encoded { get; } = new List<KeyValuePair<string, IReadOnlyList<float>>>();

        /// <summary>Takes <paramref name="floats"/> from the string share when they fit.</summary>
        public bool TryTakeString(int floats)
        {
            if (floats > StringFloats) return false;
            StringFloats -= floats;
            return true;
        }
    }
}
