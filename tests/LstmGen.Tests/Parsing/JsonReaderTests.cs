using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using LstmGen.Generator.Parsing;

namespace LstmGen.Tests.Parsing;

/// <summary>The generator's own JSON reader: strict, positioned errors, Python's NaN/Infinity, never throws on bad input.</summary>
public sealed class JsonReaderTests
{
    private static JsonNode Parse(string text)
    {
        JsonParseResult result = JsonReader.Parse(text, default);
        Assert.True(result.Root is not null, $"{result.Error} at {result.ErrorLine}:{result.ErrorColumn}");
        return result.Root!;
    }

    private static JsonParseResult Fail(string text)
    {
        JsonParseResult result = JsonReader.Parse(text, default);
        Assert.Null(result.Root);
        Assert.NotNull(result.Error);
        return result;
    }

    [Fact]
    public void Reads_every_kind_of_value_with_positions()
    {
        var root = Assert.IsType<JsonObject>(Parse("{\n  \"a\": [1, -2.5e3, true, false, null],\n  \"b\": \"x\"\n}"));
        var a = Assert.IsType<JsonArray>(root["a"]);
        Assert.Equal(5, a.Count);
        Assert.Equal((2, 8), (a.Line, a.Column));
        var one = Assert.IsType<JsonNumber>(a.Items[0]);
        Assert.True(one.IsInteger);
        Assert.Equal(-2500, Assert.IsType<JsonNumber>(a.Items[1]).Value);
        Assert.False(((JsonNumber)a.Items[1]).IsInteger);
        Assert.Equal(new[] { JsonKind.True, JsonKind.False, JsonKind.Null }, a.Items.Skip(2).Select(n => n.Kind));
        Assert.Equal("x", Assert.IsType<JsonString>(root["b"]).Value);
        Assert.Equal((3, 8), (root["b"]!.Line, root["b"]!.Column));
        Assert.Null(root["missing"]);
    }

    [Fact]
    public void Python_non_finite_tokens_are_numbers()
    {
        var a = Assert.IsType<JsonArray>(Parse("[NaN, Infinity, -Infinity]"));
        var values = a.Items.Cast<JsonNumber>().Select(n => n.Value).ToArray();
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(double.PositiveInfinity, values[1]);
        Assert.Equal(double.NegativeInfinity, values[2]);
    }

    [Theory]
    [InlineData("0.1", 0.1)]
    [InlineData("1e-45", 1e-45)]
    [InlineData("3.4028235e38", 3.4028235e38)]
    [InlineData("-0", -0.0)]
    [InlineData("123456789012345678", 123456789012345678.0)]
    [InlineData("1E400", double.PositiveInfinity)]
    public void Numbers_are_correctly_rounded(string text, double expected)
        => Assert.Equal(expected, Assert.IsType<JsonNumber>(Parse(text)).Value);

    [Fact]
    public void Escapes_and_surrogate_pairs_decode()
        => Assert.Equal("a\"\\/\b\f\n\r\t\u00e9\U0001F600", Assert.IsType<JsonString>(Parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"")).Value);

    [Fact]
    public void Byte_order_mark_is_skipped()
        => Assert.IsType<JsonArray>(Parse("\uFEFF[]"));

    [Theory]
    [InlineData("[1,\n 2\n 3]", 3, 2, "Expected ',' or ']'")]
    [InlineData("{\"a\" 1}", 1, 6, "Expected ':'")]
    [InlineData("[1.2.3]", 1, 5, "Expected ',' or ']'")]
    [InlineData("\"abc", 1, 5, "Unterminated string")]
    [InlineData("[1, 2", 1, 6, "Unexpected end of file")]
    [InlineData("[] x", 1, 4, "Trailing content")]
    [InlineData("[+1]", 1, 2, "Unexpected character '+'")]
    [InlineData("{\"a\": tru}", 1, 7, "Unexpected character 't'")]
    [InlineData("[01]", 1, 3, "Expected ',' or ']'")]
    [InlineData("[1.]", 1, 4, "digits expected")]
    public void Malformed_input_reports_line_and_column(string text, int line, int column, string message)
    {
        JsonParseResult result = Fail(text);
        Assert.Contains(message, result.Error);
        Assert.Equal((line, column), (result.ErrorLine, result.ErrorColumn));
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        JsonParseResult result = Fail(new string('[', 100_000));
        Assert.Contains("Nesting deeper than 256", result.Error);
    }

    [Fact]
    public void Every_prefix_of_a_document_is_handled_without_throwing()
    {
        const string document = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"w\": [[1.5e-3, -2], [NaN, \"\\u0041\"]], \"b\": true}]}}";
        for (int length = 0; length < document.Length; length++)
        {
            JsonParseResult result = JsonReader.Parse(document.Substring(0, length), default);
            Assert.Null(result.Root);
        }
        Assert.NotNull(JsonReader.Parse(document, default).Root);
    }

    [Fact]
    public void A_million_numbers_parse_quickly()
    {
        var text = new StringBuilder("[");
        var random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) text.Append(i == 0 ? "" : ", ").Append((random.NextDouble() - 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        text.Append(']');
        var watch = Stopwatch.StartNew();
        var array = Assert.IsType<JsonArray>(Parse(text.ToString()));
        watch.Stop();
        Assert.Equal(1_000_000, array.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}"); // a sanity bound, not a benchmark
    }
}
