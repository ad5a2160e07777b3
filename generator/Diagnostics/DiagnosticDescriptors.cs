using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator.Diagnostics
{
    /// <summary>Every diagnostic LstmGen reports. Ids are stable; AnalyzerReleases.*.md logs them.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "LstmGen";

        /// <summary>Each id's page: what triggers it, an example, the fix. Placeholder owner until the repository is published.</summary>
        public const string HelpLinkBase = "https://github.com/lstmgen/lstmgen/blob/main/docs/diagnostics/";

        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
            "LSTMGEN001",
            "Weights file is not an AdditionalFiles item",
            "The weights file '{0}' is not among the project's AdditionalFiles; {1}");

        public static readonly DiagnosticDescriptor InvalidJson = Error(
            "LSTMGEN002",
            "Weights file is not valid JSON",
            "The weights file '{0}' is not valid JSON: {1} (line {2}, column {3})");

        public static readonly DiagnosticDescriptor UnsupportedLayer = Error(
            "LSTMGEN003",
            "Unsupported layer",
            "Layer {0} is a '{1}', which LstmGen does not support{2}");

        public static readonly DiagnosticDescriptor UnsupportedActivation = Error(
            "LSTMGEN004",
            "Unsupported activation",
            "Layer {0}: {1} '{2}' is not supported; use one of: {3}");

        public static readonly DiagnosticDescriptor UnsupportedOption = Error(
            "LSTMGEN005",
            "Unsupported layer option",
            "Layer {0}: {1} = {2} is not supported: {3}");

        public static readonly DiagnosticDescriptor WeightShapeMismatch = Error(
            "LSTMGEN006",
            "Weights do not match the layer configuration",
            "Layer {0}: {1} {2}, expected {3}");

        public static readonly DiagnosticDescriptor TargetNotPartial = Error(
            "LSTMGEN007",
            "The model class must be partial",
            "'{0}' must be declared partial (and so must every type that contains it) for [LstmModel] to add the generated members");

        public static readonly DiagnosticDescriptor TargetGeneric = Error(
            "LSTMGEN008",
            "The model class cannot be generic",
            "'{0}' is generic or nested in a generic type; [LstmModel] needs a non-generic class");

        public static readonly DiagnosticDescriptor MissingInputShape = Error(
            "LSTMGEN009",
            "The model has no recurrent input shape",
            "The model in '{0}' has no usable input shape: {1}");

        public static readonly DiagnosticDescriptor UnrollNeedsFixedTimesteps = Warning(
            "LSTMGEN010",
            "Unroll needs a fixed number of timesteps",
            "Unroll = true was ignored: the model in '{0}' accepts any number of timesteps, so the timestep loop is kept");

        public static readonly DiagnosticDescriptor InvalidModel = Error(
            "LSTMGEN011",
            "The weights file does not describe a supported model",
            "The model in '{0}' cannot be compiled: {1}");

        public static readonly DiagnosticDescriptor AmbiguousWeightsFile = Error(
            "LSTMGEN012",
            "Weights file path is ambiguous",
            "The path '{0}' matches several AdditionalFiles ({1}); give a longer relative path");

        public static readonly DiagnosticDescriptor UnknownOption = Warning(
            "LSTMGEN013",
            "Unknown layer option ignored",
            "Layer {0}: option '{1}' is not known to LstmGen and was ignored; {2}");

        public static readonly DiagnosticDescriptor NonFiniteWeight = Warning(
            "LSTMGEN014",
            "Weight is NaN or infinite",
            "Layer {0}: {1} holds {2} at index {3}; the model will produce NaN or infinite outputs");

        public static readonly DiagnosticDescriptor WeightOutOfRange = Error(
            "LSTMGEN015",
            "Weight is outside the float32 range",
            "Layer {0}: {1} holds {2} at index {3}, which is outside the float32 range");

        public static readonly DiagnosticDescriptor UnrollTooLong = Warning(
            "LSTMGEN016",
            "Unroll is limited to 1024 timesteps",
            "Unroll = true was ignored: the model in '{0}' has {1} timesteps and unrolling is limited to {2}, so the timestep loop is kept");

        public static readonly DiagnosticDescriptor ModelTooLarge = Error(
            "LSTMGEN017",
            "The model is too large",
            "The model in '{0}' is too large: {1}, more than the limit of {2}");

        public static readonly DiagnosticDescriptor NoStreamingApi = new DiagnosticDescriptor(
            "LSTMGEN018",
            "No streaming API for this model",
            "'{0}' gets no {1}: {2}",
            Category,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            helpLinkUri: HelpLink("LSTMGEN018"));

        public static readonly DiagnosticDescriptor ImportFailed = Error(
            "LSTMGEN020",
            "The model file could not be imported",
            "The model file '{0}' could not be imported: {1}");

        public static readonly DiagnosticDescriptor ImportCaveat = Warning(
            "LSTMGEN021",
            "The model is computed differently from how it was trained",
            "The model in '{0}': {1}");

        public static readonly DiagnosticDescriptor UnreadableModelFile = Error(
            "LSTMGEN022",
            "The model file is not in a format LstmGen reads",
            "The model file '{0}' {1}");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "LSTMGEN999",
            "LstmGen failed unexpectedly",
            "LstmGen hit an internal error while compiling '{0}': {1}. This is a bug in LstmGen; please report it with the weights file.");

        private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Index(
            WeightsFileNotFound, InvalidJson, UnsupportedLayer, UnsupportedActivation, UnsupportedOption,
            WeightShapeMismatch, TargetNotPartial, TargetGeneric, MissingInputShape, UnrollNeedsFixedTimesteps,
            InvalidModel, AmbiguousWeightsFile, UnknownOption, NonFiniteWeight, WeightOutOfRange, UnrollTooLong, ModelTooLarge, NoStreamingApi,
            ImportFailed, ImportCaveat, UnreadableModelFile, InternalError);

        public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

        public static DiagnosticDescriptor ById(string id) => s_byId[id];

        private static DiagnosticDescriptor Error(string id, string title, string message)
            => new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static DiagnosticDescriptor Warning(string id, string title, string message)
            => new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        /// <summary>
        /// The descriptor with " (at {n})" after its message, for a diagnostic that also points into the model file:
        /// command-line builds show only the primary location, so the spot in the file goes into the text as well.
        /// </summary>
        public static DiagnosticDescriptor WithFilePosition(DiagnosticDescriptor descriptor, int argumentCount)
        {
            lock (s_withFilePosition)
            {
                string key = descriptor.Id + "/" + argumentCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!s_withFilePosition.TryGetValue(key, out DiagnosticDescriptor? located))
                {
                    string format = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        + " (at {" + argumentCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + "})";
                    located = new DiagnosticDescriptor(descriptor.Id, descriptor.Title, format, descriptor.Category,
                        descriptor.DefaultSeverity, descriptor.IsEnabledByDefault, descriptor.Description, descriptor.HelpLinkUri);
                    s_withFilePosition.Add(key, located);
                }
                return located;
            }
        }

        private static readonly Dictionary<string, DiagnosticDescriptor> s_withFilePosition = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);

        private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
        {
            var map = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
            foreach (DiagnosticDescriptor d in descriptors) map.Add(d.Id, d);
            return map;
        }
    }
}
