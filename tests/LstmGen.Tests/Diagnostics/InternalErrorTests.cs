using System;
using System.Collections.Immutable;
using LstmGen.Generator;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Tests.Diagnostics;

/// <summary>An exception inside the generator is a bug; the guard turns it into LSTMGEN999 on the attribute.</summary>
public sealed class InternalErrorTests
{
    private static readonly TargetSpec Target = new(
        "N", EquatableArray<string>.Empty, "static partial class M", "M", "global::N.M", "Models/m.json", false, null, "/src/M.cs",
        new LocationInfo("/src/M.cs", new TextSpan(10, 15), new LinePositionSpan(new LinePosition(0, 10), new LinePosition(0, 25))),
        EquatableArray<DiagnosticInfo>.Empty);

    [Fact]
    public void Exception_while_building_the_model_becomes_LSTMGEN999()
    {
        GenerationSpec spec = PipelineSteps.Build(Target, ImmutableArray<WeightsFile>.Empty, default,
            (_, _, _) => throw new InvalidOperationException("boom"));

        Assert.Null(spec.Model);
        DiagnosticInfo diagnostic = Assert.Single(spec.Diagnostics);
        Assert.Equal("LSTMGEN999", diagnostic.Id);
        Assert.Equal(Target.PathLocation, diagnostic.Location);
        Assert.Contains("InvalidOperationException: boom", diagnostic.ToDiagnostic().GetMessage());
    }

    [Fact]
    public void Cancellation_is_not_swallowed()
        => Assert.Throws<OperationCanceledException>(() => PipelineSteps.Build(Target, ImmutableArray<WeightsFile>.Empty, default,
            (_, _, _) => throw new OperationCanceledException()));
}
