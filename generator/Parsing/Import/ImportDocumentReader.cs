using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Diagnostics;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Reads the import document that the build step (src/LstmGen.Import) writes for a tfjs, HDF5, .keras or ONNX
    /// file: its error becomes LSTMGEN020, its caveats LSTMGEN021, and its weights are attached to the topology's layers.
    /// </summary>
    internal static class ImportDocumentReader
    {
        private const int SupportedVersion = 1;

        public static bool IsImportDocument(JsonNode root) => root is JsonObject obj && obj["lstmgen_import"] is JsonObject;

        /// <summary>The topology (the document's own, or <paramref name="topology"/>) with every layer's weights in place.</summary>
        public static JsonObject Merge(JsonObject document, JsonObject? topology, string fileName, ReadContext context)
        {
            var header = (JsonObject)document["lstmgen_import"]!;
            if (header["error"] is JsonObject error)
            {
                throw context.Fail(DiagnosticDescriptors.ImportFailed, fileName, Describe(error));
            }
            if (header["version"] is not JsonNumber { Value: SupportedVersion })
            {
                throw context.Fail(DiagnosticDescriptors.ImportFailed, fileName, "the converted copy under obj/ was written by another version of LstmGen; rebuild the project");
            }
            if (header["warnings"] is JsonArray warnings)
            {
                foreach (JsonNode warning in warnings.Items)
                {
                    if (warning is JsonString text) context.Diagnostics.Add(context.Create(DiagnosticDescriptors.ImportCaveat, null, fileName, text.Value));
                }
            }

            JsonObject? model = document["model"] as JsonObject;
            if (topology is null)
            {
                topology = model ?? throw context.Fail(DiagnosticDescriptors.ImportFailed, fileName,
                    "the file holds weights only (a save_weights() file); name the model's to_json() topology in [LstmModel] and this file as Weights = \"...\"");
            }
            string layout = (header["layout"] as JsonString)?.Value ?? "";
            JsonArray weightList = document["weights"] as JsonArray ?? new JsonArray(0, 0, new List<JsonNode>());
            return WeightAttacher.Attach(topology, layout, weightList, fileName, context);
        }

        private static string Describe(JsonObject error)
        {
            string message = (error["message"] as JsonString)?.Value ?? "unknown error";
            if (error["where"] is JsonString where) message += " (at " + where.Value + ")";
            if (error["help"] is JsonString help) message += "; " + help.Value;
            return message;
        }

        internal static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
    }
}
