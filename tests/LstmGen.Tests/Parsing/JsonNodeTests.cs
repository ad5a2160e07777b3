using System.Linq;
using LstmGen.Generator.Parsing;

namespace LstmGen.Tests.Parsing;

/// <summary>The JSON DOM: member lookup, duplicates, descriptions for diagnostics.</summary>
public sealed class JsonNodeTests
{
    private static JsonNode Parse(string text)
    {
        JsonParseResult result = JsonReader.Parse(text, default);
        Assert.True(result.Root is not null, $"{result.Error} at {result.ErrorLine}:{result.ErrorColumn}");
        return result.Root!;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)] // past the linear-search size: the dictionary path
    public void Duplicate_keys_keep_every_member_and_the_last_wins(int size)
    {
        string others = string.Concat(Enumerable.Range(0, size).Select(i => ", \"k" + i + "\": " + i));
        var root = Assert.IsType<JsonObject>(Parse("{\"a\": 1" + others + ", \"a\": \"two\"}"));
        Assert.Equal(size + 2, root.Count);
        Assert.Equal(size + 2, root.Members.Count);
        Assert.Equal("a", root.Members[0].Key);
        Assert.Equal("a", root.Members[size + 1].Key);
        Assert.Equal("two", Assert.IsType<JsonString>(root["a"]).Value);
        Assert.True(root.TryGet("a", out JsonNode a));
        Assert.Same(root["a"], a);
        Assert.Equal(size - 1, Assert.IsType<JsonNumber>(root["k" + (size - 1)]).Value);
        Assert.False(root.TryGet("A", out JsonNode missing)); // ordinal, case-sensitive
        Assert.Null(missing);
        Assert.Null(root["k" + size]);
    }

    [Fact]
    public void Members_keep_file_order()
    {
        var root = Assert.IsType<JsonObject>(Parse("{\"z\": 1, \"a\": 2, \"m\": 3}"));
        Assert.Equal(new[] { "z", "a", "m" }, root.Members.Select(m => m.Key));
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, root.Members.Select(m => ((JsonNumber)m.Value).Value));
    }

    [Fact]
    public void Empty_object_stand_in_has_no_members()
    {
        Assert.Empty(JsonObject.Empty.Members);
        Assert.Null(JsonObject.Empty["config"]);
        Assert.Equal(JsonKind.Object, JsonObject.Empty.Kind);
    }

    [Fact]
    public void Array_indexer_and_items_agree()
    {
        var array = Assert.IsType<JsonArray>(Parse("[\"x\", [1, 2], {}]"));
        Assert.Equal(3, array.Count);
        Assert.Same(array.Items[1], array[1]);
        Assert.Equal(new[] { JsonKind.String, JsonKind.Array, JsonKind.Object }, array.Items.Select(n => n.Kind));
    }

    [Theory]
    [InlineData("1.5", "number")]
    [InlineData("NaN", "number")]
    [InlineData("\"tanh\"", "string \"tanh\"")]
    [InlineData("\"a\\\"b\\n\\u0001\"", "string \"a\\\"b\\n\\u0001\"")]
    [InlineData("\"0123456789012345678901234567890123456789XYZ\"", "string \"0123456789012345678901234567890123456789...\"")]
    [InlineData("[1, 2, 3, 4]", "array of 4")]
    [InlineData("[]", "array of 0")]
    [InlineData("{\"a\": 1}", "object")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    public void Describe_names_the_node_for_messages(string json, string description)
        => Assert.Equal(description, Parse(json).Describe());
}
