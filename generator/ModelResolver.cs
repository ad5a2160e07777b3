using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Emitting;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;
using LstmGen.Generator.Parsing;

namespace LstmGen.Generator
{
    /// <summary>
    /// Phase 2: pairs a target with its weights file (<see cref="Locate"/>), then reads and validates the model
    /// (<see cref="Resolve(LocatedModel, CancellationToken)"/>), collecting every diagnostic.
    /// </summary>
    internal static class ModelResolver
    {
        public static GenerationSpec Resolve(TargetSpec target, ImmutableArray<WeightsFile> files, CancellationToken cancellationToken)
            => Resolve(Locate(target, files), cancellationToken);

        public static LocatedModel Locate(TargetSpec target, ImmutableArray<WeightsFile> files)
        {
            var diagnostics = new List<DiagnosticInfo>(target.Diagnostics);
            if (target.Unusable || diagnostics.Count > 0 || target.ModelPath is null)
            {
                // The class itself is unusable (not partial, generic) or the attribute has no path (the compiler reports that).
                return new LocatedModel(target, null, diagnostics.ToEquatableArray());
            }
            ModelSource? source = ModelFileLocator.Locate(target, files, diagnostics);
            return new LocatedModel(target, source, diagnostics.ToEquatableArray());
        }

        public static GenerationSpec Resolve(LocatedModel located, CancellationToken cancellationToken)
        {
            TargetSpec target = located.Target;
            var diagnostics = new List<DiagnosticInfo>(located.Diagnostics);
            if (located.Source is not ModelSource source)
            {
                return new GenerationSpec(target, null, diagnostics.ToEquatableArray());
            }

            string fileName = source.FileName;
            long characters = (long)source.Text.Length + (source.WeightsText?.Length ?? 0);
            if (characters > ModelLimits.MaxFileChars)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ModelTooLarge, target.PathLocation, fileName,
                    "the file has " + IntLiteral.Format(characters) + " characters", IntLiteral.Format(ModelLimits.MaxFileChars) + " characters"));
                return new GenerationSpec(target, null, diagnostics.ToEquatableArray());
            }

            KerasModelReader.Result result = KerasModelReader.Read(source, target.PathLocation, cancellationToken);
            diagnostics.AddRange(result.Diagnostics);
            if (result.Model is not null && SequenceTooLong(result.Model) is string reason)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInputShape, target.PathLocation, fileName, reason));
                return new GenerationSpec(target, null, diagnostics.ToEquatableArray());
            }
            if (result.Model is not null && target.Unroll)
            {
                if (result.Model.Timesteps is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnrollNeedsFixedTimesteps, target.PathLocation, fileName));
                }
                else if (result.Model.LongestFixedSequence is int longest && longest > Planner.MaxUnrolledTimesteps)
                {
                    // RepeatVector's rows count too: each of them would be unrolled.
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnrollTooLong, target.PathLocation, fileName, IntLiteral.Format(longest), IntLiteral.Format(Planner.MaxUnrolledTimesteps)));
                }
            }
            if (result.Model is not null)
            {
                if (Planner.WhyNoState(target, result.Model) is string noState)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoStreamingApi, target.PathLocation, target.TypeName, "State, Step or Predict(..., ref State)", noState));
                }
                else if (StateLayout.WhyNoStep(result.Model) is string noStep)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoStreamingApi, target.PathLocation, target.TypeName, "Step (Predict with a State is there)", noStep));
                }
            }
            return new GenerationSpec(target, result.Model, diagnostics.ToEquatableArray());
        }

        /// <summary>
        /// A fixed-length sequence of any layer's width (the input, a buffered stage, a sequence output) must fit in
        /// an int: the emitted lengths are int constants, and past that they would overflow (CS0220) or wrap.
        /// </summary>
        private static string? SequenceTooLong(ModelSpec model)
        {
            if (model.Graph is not null) return GraphBuffersTooLong(model);
            // The rows of a RepeatVector and every sequence after it are buffered whole.
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i] is not RepeatVectorLayerSpec repeat) continue;
                long widestRow = repeat.OutputSize;
                for (int j = i + 1; j < model.Layers.Count && model.Layers[j].IsSequence; j++)
                {
                    widestRow = System.Math.Max(widestRow, model.Layers[j].OutputSize);
                }
                if (repeat.Repeats * widestRow > int.MaxValue)
                {
                    return "RepeatVector '" + repeat.Name + "': " + IntLiteral.Format(repeat.Repeats) + " rows × " + IntLiteral.Format(widestRow)
                        + " floats is more than a span can hold (" + IntLiteral.Format(int.MaxValue) + ")";
                }
            }
            if (model.Timesteps is not int steps) return null;
            // Only sequences of the input's length count; a vector after Flatten / pooling / a many-to-one layer, and
            // everything from a RepeatVector on (checked above), has no timestep axis of that length.
            int widest = model.Features;
            foreach (LayerSpec layer in model.Layers)
            {
                if (layer is RepeatVectorLayerSpec) break;
                if (layer.IsSequence && layer.OutputSize > widest) widest = layer.OutputSize;
            }
            long floats = (long)steps * widest;
            if (floats <= int.MaxValue) return null;
            return TooLong(steps, widest, floats);
        }

        /// <summary>
        /// A graph keeps every sequence output whole, in one pooled array when they do not fit the stack: with fixed
        /// lengths all of them together must fit a span (the input's rows limit each one, as in a chain, otherwise).
        /// </summary>
        private static string? GraphBuffersTooLong(ModelSpec model)
        {
            long total = 0;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (!model.Layers[i].IsSequence || model.StepsAfter(i) is not int rows) continue;
                total += (long)rows * model.Layers[i].OutputSize;
            }
            if (total <= int.MaxValue) return null;
            return "the sequences the graph's layers output take " + total.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " floats together, more than a span can hold (" + IntLiteral.Format(int.MaxValue) + "); use fewer timesteps or a variable length (null)";
        }

        private static string TooLong(int steps, int widest, long floats)
        {
            return IntLiteral.Format(steps) + " timesteps × " + IntLiteral.Format(widest) + " floats per timestep is "
                + floats.ToString(System.Globalization.CultureInfo.InvariantCulture) + " floats, more than a span can hold ("
                + IntLiteral.Format(int.MaxValue) + "); use fewer timesteps or a variable length (null)";
        }
    }
}
