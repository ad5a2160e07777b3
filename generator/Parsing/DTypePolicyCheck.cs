using System;
using System.Collections.Generic;
using LstmGen.Generator.Diagnostics;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// A model trained under a mixed or half-precision dtype policy (Keras "mixed_float16") ran its layers in float16
    /// in the framework; LstmGen computes in float32 from the same weights, so its outputs are the more exact ones and
    /// differ from the framework's by float16 rounding. Worth a warning (LSTMGEN021), once per model.
    /// </summary>
    internal static class DTypePolicyCheck
    {
        public static void Report(List<LayerEntry> layers, ReadContext context)
        {
            foreach (LayerEntry layer in layers)
            {
                string? policy = Policy(layer.Config["dtype"]);
                // Only float policies change the arithmetic; an InputLayer's "int32" just names the token ids' type.
                if (policy is not ("mixed_float16" or "mixed_bfloat16" or "float16" or "bfloat16" or "float64")) continue;
                context.Diagnostics.Add(context.Create(DiagnosticDescriptors.ImportCaveat, layer.Config["dtype"], context.FileName,
                    "layer '" + layer.Name + "' has the dtype policy '" + policy + "', so the framework computed it in "
                    + (policy.IndexOf("bfloat16", StringComparison.Ordinal) >= 0 ? "bfloat16" : policy.IndexOf("float16", StringComparison.Ordinal) >= 0 ? "float16" : policy)
                    + "; LstmGen computes every layer in float32 from the same weights, so outputs differ from the framework's by that rounding"));
                return;
            }
        }

        /// <summary>The policy name: a plain string (Keras 2, tfjs), or a DTypePolicy object's config.name (Keras 3).</summary>
        private static string? Policy(JsonNode? dtype) => dtype switch
        {
            JsonString s => s.Value,
            JsonObject o => ((o["config"] as JsonObject)?["name"] as JsonString)?.Value,
            _ => null,
        };
    }
}
