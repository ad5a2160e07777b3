using System;
using System.ComponentModel;
using System.Linq;
using System.Reflection;

namespace LstmGen.Tests.Runtime;

/// <summary>
/// The runtime library's public surface: what a user writes is public API; everything else is public only because
/// generated code in the user's assembly calls it, and stays out of IntelliSense. The exact members are pinned by
/// src/LstmGen/PublicAPI.*.txt (PublicApiAnalyzers fails the build on a change).
/// </summary>
public sealed class RuntimeSurfaceTests
{
    /// <summary>The types a user names in their code: the public API, visible.</summary>
    private static readonly string[] s_publicApi = { "LstmGen.LstmModelAttribute", "LstmGen.CoreTeam" };

    [Fact]
    public void Every_public_type_is_public_API_or_hidden_from_IntelliSense()
    {
        Type[] exported = typeof(LstmModelAttribute).Assembly.GetExportedTypes();
        Assert.Contains(exported, t => t.Namespace == "LstmGen.Runtime");
        foreach (Type type in exported)
        {
            EditorBrowsableState? state = type.GetCustomAttribute<EditorBrowsableAttribute>()?.State;
            if (s_publicApi.Contains(type.FullName))
            {
                Assert.True(state is null or EditorBrowsableState.Always, $"{type.FullName} is public API but hidden ({state})");
                continue;
            }
            Assert.True(state == EditorBrowsableState.Never, $"{type.FullName} is public only for generated code but visible in IntelliSense: add [EditorBrowsable(EditorBrowsableState.Never)], or list it as public API here");
            Assert.Equal("LstmGen.Runtime", type.Namespace);
        }
    }
}
