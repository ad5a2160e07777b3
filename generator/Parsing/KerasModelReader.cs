using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Phase 1 of the pipeline: the weights file's text → a validated <see cref="ModelSpec"/>, or diagnostics.
    /// Understands the topology written by Keras 2 and Keras 3 <c>model.to_json()</c> and TensorFlow.js
    /// <c>model.toJSON()</c> (Sequential, or a functional model that is a single chain), with each layer's
    /// <c>get_weights()</c> added as <c>"weights"</c>.
    /// </summary>
    internal static class KerasModelReader
    {
        /// <summary>The result of reading one weights file for one target.</summary>
        internal readonly struct Result
        {
            public Result(ModelSpec? model, List<DiagnosticInfo> diagnostics)
            {
                Model = model;
                Diagnostics = diagnostics;
            }

            public ModelSpec? Model { get; }

            public List<DiagnosticInfo> Diagnostics { get; }
        }

        public static Result Read(string filePath, string text, LocationInfo? location, CancellationToken cancellationToken)
            => Read(new ModelSource(Path.GetFileName(filePath), filePath, text, IsImport: false), location, cancellationToken);

        /// <summary>
        /// Reads the model file's JSON, or the import document the build step made of a tfjs / HDF5 / .keras / ONNX
        /// file (then the weights are attached to the layers first), or a topology plus a weights import document.
        /// </summary>
        public static Result Read(ModelSource source, LocationInfo? location, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var context = new ReadContext(source.FileName, source.Path, source.Text, location, diagnostics, locate: !source.IsImport);
            try
            {
                JsonNode? root = Parse(source.Text, context, source.IsImport, cancellationToken);
                if (root is null) return new Result(null, diagnostics);
                if (ImportDocumentReader.IsImportDocument(root))
                {
                    root = ImportDocumentReader.Merge((JsonObject)root, topology: null, source.FileName, context);
                }
                else if (source.WeightsText is not null)
                {
                    var weightsContext = new ReadContext(source.WeightsFileName!, source.WeightsFileName!, source.WeightsText, location, diagnostics, locate: false);
                    JsonNode? weights = Parse(source.WeightsText, weightsContext, isImport: true, cancellationToken);
                    if (weights is null) return new Result(null, diagnostics);
                    if (root is not JsonObject topology || !ImportDocumentReader.IsImportDocument(weights))
                    {
                        throw context.Invalid("with Weights, the path must name a Keras model.to_json() topology and Weights a save_weights() HDF5 file", root);
                    }
                    root = ImportDocumentReader.Merge((JsonObject)weights, topology, source.WeightsFileName!, context);
                }
                ModelSpec model = ReadModel(root, context);
                return new Result(model, diagnostics);
            }
            catch (ModelReadException e)
            {
                diagnostics.Add(e.Diagnostic);
                return new Result(null, diagnostics);
            }
        }

        private static JsonNode? Parse(string text, ReadContext context, bool isImport, CancellationToken cancellationToken)
        {
            JsonParseResult parsed = JsonReader.Parse(text, cancellationToken);
            if (parsed.Root is not null) return parsed.Root;
            if (isImport)
            {
                // The build step wrote this file; damage means an interrupted build, not the user's model.
                context.Diagnostics.Add(context.Create(DiagnosticDescriptors.ImportFailed, null, context.FileName,
                    "the converted copy under obj/ is damaged (" + (parsed.Error ?? "unknown error") + "); rebuild the project"));
                return null;
            }
            context.Diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.InvalidJson.Id,
                context.Location,
                new EquatableArray<string>(new[] { context.FileName, parsed.Error ?? "unknown error", IntLiteral.Format(parsed.ErrorLine), IntLiteral.Format(parsed.ErrorColumn) }),
                context.AtPosition(parsed.ErrorLine, parsed.ErrorColumn)));
            return null;
        }

        private static ModelSpec ReadModel(JsonNode rootNode, ReadContext context)
        {
            if (rootNode is not JsonObject root)
            {
                throw context.Invalid("the top level must be a JSON object (a Keras model.to_json() document), found " + rootNode.Describe(), rootNode);
            }

            string className = (root["class_name"] as JsonString)?.Value
                ?? throw context.Invalid("the top level has no \"class_name\" (expected \"Sequential\" or \"Functional\")", root);
            JsonNode? config = root["config"];
            bool keras3 = IsKeras3(root, out string dialect);

            FunctionalLayers read = className switch
            {
                "Sequential" => new FunctionalLayers(SequentialLayers(config, context), null),
                "Functional" or "Model" => FunctionalLayers(config, context),
                _ => throw context.Invalid("the top-level class_name is '" + className + "'; only Sequential and Functional models are supported", root["class_name"]),
            };
            List<LayerEntry> layers = read.Order;

            InputShape shape = InputShapeReader.Find(root, config as JsonObject, layers, context);
            // tfjs has no reset_after=true GRU, so an absent reset_after in its files means false.
            bool tfjs = root["keras_version"] is JsonString v && v.Value.StartsWith("tfjs", StringComparison.OrdinalIgnoreCase);
            var builder = new LayerChainBuilder(context, keras3, tfjs, shape);
            foreach (LayerEntry layer in layers)
            {
                if (read.Inbound is null) builder.Add(layer);
                else builder.AddToGraph(layer, read.Inbound[layer.Name]);
            }
            EquatableArray<LayerSpec> specs = builder.Finish();
            DTypePolicyCheck.Report(layers, context);
            return new ModelSpec(context.FileName, dialect, shape.Timesteps, shape.Features, specs) { Graph = builder.Graph };
        }

        /// <summary>
        /// hard_sigmoid changed meaning in Keras 3, so the dialect matters: keras_version decides; without it,
        /// Keras 3's serialisation markers (a top-level "module", DTypePolicy objects) do.
        /// </summary>
        private static bool IsKeras3(JsonObject root, out string dialect)
        {
            if (root["keras_version"] is JsonString version)
            {
                string v = version.Value;
                if (v.StartsWith("tfjs", StringComparison.OrdinalIgnoreCase))
                {
                    dialect = "TensorFlow.js (" + v + ")";
                    return false;
                }
                dialect = "Keras " + v;
                return v.StartsWith("3", StringComparison.Ordinal);
            }
            bool markers = root["module"] is JsonString || ContainsDTypePolicy(root, depth: 0);
            dialect = markers ? "Keras 3 (no keras_version; recognised by its serialisation format)" : "Keras 2 (no keras_version)";
            return markers;
        }

        private static bool ContainsDTypePolicy(JsonNode node, int depth)
        {
            if (depth > 6) return false;
            if (node is JsonObject obj)
            {
                if (obj["class_name"] is JsonString c && (c.Value == "DTypePolicy" || c.Value == "FloatDTypePolicy")) return true;
                foreach (KeyValuePair<string, JsonNode> member in obj.Members)
                {
                    if (member.Key == "weights") continue;
                    if (ContainsDTypePolicy(member.Value, depth + 1)) return true;
                }
            }
            else if (node is JsonArray array && depth < 4)
            {
                foreach (JsonNode item in array.Items)
                {
                    if (item is JsonObject && ContainsDTypePolicy(item, depth + 1)) return true;
                }
            }
            return false;
        }

        private static List<LayerEntry> SequentialLayers(JsonNode? config, ReadContext context)
        {
            // Keras 2.0-2.2 wrote the layer list directly as "config".
            JsonNode? layersNode = config is JsonObject obj ? obj["layers"] : config;
            if (layersNode is not JsonArray array || array.Count == 0)
            {
                throw context.Invalid("the Sequential model has no \"config\".\"layers\" list", layersNode ?? config);
            }
            var layers = new List<LayerEntry>();
            foreach (JsonNode item in array.Items)
            {
                layers.Add(LayerEntry.From(item, layers.Count, context));
            }
            return layers;
        }

        private static FunctionalLayers FunctionalLayers(JsonNode? config, ReadContext context)
        {
            if (config is not JsonObject obj || obj["layers"] is not JsonArray array || array.Count == 0)
            {
                throw context.Invalid("the functional model has no \"config\".\"layers\" list", config);
            }
            var all = new List<LayerEntry>();
            foreach (JsonNode item in array.Items)
            {
                all.Add(LayerEntry.From(item, all.Count, context));
            }
            return FunctionalOrder.Read(all, (JsonObject)config, context);
        }
    }
}
