using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using LstmGen.Generator.Parsing;

namespace LstmGen.Tests.Parsing;

/// <summary>The generator's own JSON reader: strict, positioned errors, Python's NaN/Infinity, never throws on bad input.</summary>
public sealed class JsonReaderTests
{
    private static JsonNode Parse(string text)
    {
        JsonParseResult result = JsonReader.Parse(text, default);
        Assert.True(result.Root is not null, $"{result.Error} at {result.ErrorLine}:{result.ErrorColumn}");
        Assert.True(result.IsSuccess);
        Assert.Null(result.Error);
        return result.Root!;
    }

    private static JsonParseResult Fail(string text)
    {
        JsonParseResult result = JsonReader.Parse(text, default);
        Assert.Null(result.Root);
        Assert.False(result.IsSuccess);
        Assert.NotNull(result.Error);
        Assert.True(result.ErrorLine >= 1 && result.ErrorColumn >= 1, $"{result.Error} at {result.ErrorLine}:{result.ErrorColumn}");
        return result;
    }

    private static double Number(string text) => Assert.IsType<JsonNumber>(Parse(text)).Value;

    [Fact]
    public void Reads_every_kind_of_value_with_positions()
    {
        var root = Assert.IsType<JsonObject>(Parse("{\n  \"a\": [1, -2.5e3, true, false, null],\n  \"b\": \"x\"\n}"));
        Assert.Equal((1, 1), (root.Line, root.Column));
        var a = Assert.IsType<JsonArray>(root["a"]);
        Assert.Equal(5, a.Count);
        Assert.Equal((2, 8), (a.Line, a.Column));
        var one = Assert.IsType<JsonNumber>(a.Items[0]);
        Assert.True(one.IsInteger);
        Assert.Equal((2, 9), (one.Line, one.Column));
        Assert.Equal(-2500, Assert.IsType<JsonNumber>(a.Items[1]).Value);
        Assert.False(((JsonNumber)a.Items[1]).IsInteger);
        Assert.Equal((2, 12), (a.Items[1].Line, a.Items[1].Column));
        Assert.Equal(new[] { JsonKind.True, JsonKind.False, JsonKind.Null }, a.Items.Skip(2).Select(n => n.Kind));
        Assert.Equal(new[] { 20, 26, 33 }, a.Items.Skip(2).Select(n => n.Column));
        Assert.Equal("x", Assert.IsType<JsonString>(root["b"]).Value);
        Assert.Equal((3, 8), (root["b"]!.Line, root["b"]!.Column));
        Assert.Null(root["missing"]);
        Assert.Equal(new[] { "a", "b" }, root.Members.Select(m => m.Key));
    }

    [Theory]
    [InlineData("42", "Number")]
    [InlineData("\"s\"", "String")]
    [InlineData("true", "True")]
    [InlineData("false", "False")]
    [InlineData("null", "Null")]
    [InlineData(" [ ] ", "Array")]
    [InlineData("\t{ }\r\n", "Object")]
    [InlineData("NaN", "Number")]
    [InlineData("-Infinity", "Number")]
    public void Any_value_can_be_the_root(string text, string kind)
        => Assert.Equal(kind, Parse(text).Kind.ToString());

    [Fact]
    public void Python_json_dumps_output_reads()
    {
        // json.dumps({'w': [nan, inf, -inf, 0.1, 1e-45, -0.0, 10**20], 's': 'é😀\n"'}, indent=2)
        const string text = "{\n  \"w\": [\n    NaN,\n    Infinity,\n    -Infinity,\n    0.1,\n    1e-45,\n    -0.0,\n    100000000000000000000\n  ],\n  \"s\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"\n}";
        var root = Assert.IsType<JsonObject>(Parse(text));
        var w = Assert.IsType<JsonArray>(root["w"]);
        double[] values = w.Items.Cast<JsonNumber>().Select(n => n.Value).ToArray();
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(new[] { double.PositiveInfinity, double.NegativeInfinity, 0.1, 1e-45, -0.0, 1e20 }, values.Skip(1));
        Assert.True(double.IsNegative(values[5]));
        Assert.Equal((5, 5), (w.Items[2].Line, w.Items[2].Column));
        Assert.Equal("é😀\n\"", Assert.IsType<JsonString>(root["s"]).Value);
    }

    [Fact]
    public void JavaScript_stringify_output_reads()
    {
        // JSON.stringify({a: [1, 2.5, null, "x"], b: {c: true}}) — compact, no spaces.
        var root = Assert.IsType<JsonObject>(Parse("{\"a\":[1,2.5,null,\"x\"],\"b\":{\"c\":true}}"));
        Assert.Equal(4, Assert.IsType<JsonArray>(root["a"]).Count);
        Assert.Equal(JsonKind.True, Assert.IsType<JsonObject>(root["b"])["c"]!.Kind);
        Assert.Equal(2.5, ((JsonNumber)((JsonArray)root["a"]!)[1]).Value);
    }

    [Fact]
    public void Python_non_finite_tokens_are_numbers()
    {
        var a = Assert.IsType<JsonArray>(Parse("[NaN, Infinity, -Infinity]"));
        var numbers = a.Items.Cast<JsonNumber>().ToArray();
        Assert.True(double.IsNaN(numbers[0].Value));
        Assert.Equal(double.PositiveInfinity, numbers[1].Value);
        Assert.Equal(double.NegativeInfinity, numbers[2].Value);
        Assert.All(numbers, n => Assert.False(n.IsInteger));
        Assert.Equal(new[] { 2, 7, 17 }, numbers.Select(n => n.Column));
    }

    [Theory]
    [InlineData("0.1", 0.1)]
    [InlineData("1e-45", 1e-45)]
    [InlineData("1.401298464324817e-45", 1.401298464324817e-45)]
    [InlineData("3.4028235e38", 3.4028235e38)]
    [InlineData("3.4028234663852886e+38", 3.4028234663852886e38)]
    [InlineData("-0", -0.0)]
    [InlineData("-0.0", -0.0)]
    [InlineData("0e999999999999", 0.0)]
    [InlineData("123456789012345678", 123456789012345678.0)]
    [InlineData("9007199254740993", 9007199254740992.0)] // 2^53 + 1: ties to even
    [InlineData("18446744073709551617", 18446744073709551616.0)]
    [InlineData("1E400", double.PositiveInfinity)]
    [InlineData("-1e400", double.NegativeInfinity)]
    [InlineData("1e-400", 0.0)]
    [InlineData("5e-324", 5e-324)]
    [InlineData("2.2250738585072011e-308", 2.2250738585072011e-308)]
    [InlineData("1.7976931348623157e308", 1.7976931348623157e308)]
    [InlineData("0.30000000000000004", 0.30000000000000004)]
    [InlineData("1e22", 1e22)]
    [InlineData("1e23", 1e23)]
    [InlineData("-123.456e-5", -123.456e-5)]
    [InlineData("0.000000000000000000000000000001", 1e-30)]
    [InlineData("1.00000000000000000000000000001", 1.0)]
    [InlineData("0.10000000149011612", 0.10000000149011612)]
    [InlineData("-0.012345678901234567", -0.012345678901234567)]
    public void Numbers_are_correctly_rounded(string text, double expected)
    {
        double value = Number(text);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("-0", true)]
    [InlineData("123456789012345678901234567890", true)]
    [InlineData("1.0", false)]
    [InlineData("1e2", false)]
    [InlineData("1E+2", false)]
    public void Integer_flag_follows_the_text(string text, bool isInteger)
        => Assert.Equal(isInteger, Assert.IsType<JsonNumber>(Parse(text)).IsInteger);

    [Fact]
    public void Random_numbers_match_double_parse_bit_for_bit()
    {
        var random = new Random(12345);
        var text = new StringBuilder("[");
        var expected = new double[20_000];
        for (int i = 0; i < expected.Length; i++)
        {
            string token;
            switch (i % 4)
            {
                case 0: // shortest round-trip text of a random double over a wide range
                    token = (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case 1: // a float32 weight widened to double, as Keras get_weights().tolist() writes it
                    token = ((double)(float)(random.NextDouble() - 0.5)).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case 2: // short decimals (the fast path) with exponents around its limits
                    token = random.Next(-9_999_999, 9_999_999).ToString(CultureInfo.InvariantCulture) + "e" + random.Next(-30, 30).ToString(CultureInfo.InvariantCulture);
                    break;
                default: // long digit strings with a point somewhere
                    var digits = new StringBuilder();
                    int count = random.Next(1, 25);
                    for (int d = 0; d < count; d++) digits.Append((char)('0' + random.Next(10)));
                    if (digits.Length > 1 && digits[0] == '0') digits[0] = '1';
                    digits.Insert(random.Next(1, digits.Length + 1), ".");
                    if (digits[digits.Length - 1] == '.') digits.Append('5');
                    token = (random.Next(2) == 0 ? "-" : "") + digits;
                    break;
            }
            expected[i] = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
            text.Append(i == 0 ? "" : ",").Append(token);
        }
        text.Append(']');
        var array = Assert.IsType<JsonArray>(Parse(text.ToString()));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(((JsonNumber)array[i]).Value));
        }
    }

    [Fact]
    public void Escapes_and_surrogate_pairs_decode()
        => Assert.Equal("a\"\\/\b\f\n\r\t\u00e9\U0001F600", Assert.IsType<JsonString>(Parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"")).Value);

    [Fact]
    public void Raw_astral_characters_and_upper_case_hex_read()
        => Assert.Equal("\U0001F600é\u00FF\0", Assert.IsType<JsonString>(Parse("\"😀é\\u00FF\\u0000\"")).Value);

    [Fact]
    public void Lone_surrogate_escapes_pass_through()
        => Assert.Equal("x\ud800y", Assert.IsType<JsonString>(Parse("\"x\\ud800y\"")).Value);

    [Fact]
    public void Escaped_property_names_are_decoded_for_lookup()
    {
        var root = Assert.IsType<JsonObject>(Parse("{\"cl\\u0061ss_name\": \"LSTM\", \"\": 1}"));
        Assert.Equal("LSTM", Assert.IsType<JsonString>(root["class_name"]).Value);
        Assert.NotNull(root[""]);
    }

    [Fact]
    public void Byte_order_mark_is_skipped_and_not_counted_as_a_column()
    {
        var root = Assert.IsType<JsonArray>(Parse("\uFEFF[1]"));
        Assert.Equal((1, 1), (root.Line, root.Column));
        Assert.Equal((1, 2), (root[0].Line, root[0].Column));
        JsonParseResult error = Fail("\uFEFF[1, x]");
        Assert.Equal((1, 5), (error.ErrorLine, error.ErrorColumn));
    }

    [Fact]
    public void Byte_order_mark_elsewhere_is_an_error()
        => Assert.Contains("U+FEFF", Fail("[\uFEFF]").Error);

    [Fact]
    public void Line_breaks_lf_cr_and_crlf_each_count_once()
    {
        var root = Assert.IsType<JsonArray>(Parse("[\r\n1,\r2,\n3,\r\n\r\n  4]"));
        Assert.Equal(new[] { (2, 1), (3, 1), (4, 1), (6, 3) }, root.Items.Select(n => (n.Line, n.Column)));
    }

    [Theory]
    [InlineData("[\n1,\n2, 3  4]", 3, 7, "Expected ',' or ']'")] // a missing comma on line 3, column 7
    [InlineData("[1,\n 2\n 3]", 3, 2, "Expected ',' or ']'")]
    [InlineData("{\"a\" 1}", 1, 6, "Expected ':' after property name")]
    [InlineData("{\"a\": 1 \"b\": 2}", 1, 9, "Expected ',' or '}'")]
    [InlineData("{'a': 1}", 1, 2, "Expected a property name in double quotes")]
    [InlineData("{a: 1}", 1, 2, "Expected a property name in double quotes")]
    [InlineData("[1,]", 1, 3, "Trailing comma before ']'")]
    [InlineData("{\"a\": 1,\n}", 1, 8, "Trailing comma before '}'")]
    [InlineData("[,1]", 1, 2, "Unexpected character ','")]
    [InlineData("[1.2.3]", 1, 2, "Invalid number '1.2.3'")]
    [InlineData("[01]", 1, 2, "Invalid number '01'")]
    [InlineData("[1.]", 1, 2, "Invalid number '1.'")]
    [InlineData("[.5]", 1, 2, "Invalid number '.5'")]
    [InlineData("[+1]", 1, 2, "Invalid number '+1'")]
    [InlineData("[1e]", 1, 2, "Invalid number '1e'")]
    [InlineData("[1e+]", 1, 2, "Invalid number '1e+'")]
    [InlineData("[-]", 1, 2, "Invalid number '-'")]
    [InlineData("[- 1]", 1, 2, "Invalid number '-'")]
    [InlineData("[1-2]", 1, 2, "Invalid number '1-2'")]
    [InlineData("[0x10]", 1, 2, "Invalid number '0x10'")]
    [InlineData("[1e5x]", 1, 2, "Invalid number '1e5x'")]
    [InlineData("{\"a\": tru}", 1, 7, "Invalid literal 'tru'")]
    [InlineData("[True]", 1, 2, "Invalid literal 'True'")]
    [InlineData("[None]", 1, 2, "Invalid literal 'None'")]
    [InlineData("[nan]", 1, 2, "Invalid literal 'nan'")]
    [InlineData("[inf]", 1, 2, "Invalid literal 'inf'")]
    [InlineData("[-NaN]", 1, 2, "Invalid literal '-NaN'")]
    [InlineData("[truex]", 1, 2, "Invalid literal 'truex'")]
    [InlineData("\"abc", 1, 1, "Unterminated string")]
    [InlineData("[\n  \"ab\ncd\"]", 2, 3, "Unterminated string")]
    [InlineData("[\"a\tb\"]", 1, 4, "Control character U+0009 in string")]
    [InlineData("[\"a\\x\"]", 1, 4, "Invalid escape '\\x'")]
    [InlineData("[\"a\\\tb\"]", 1, 4, "Invalid escape: backslash followed by U+0009")]
    [InlineData("[\"\\u12G4\"]", 1, 3, "Invalid \\u escape")]
    [InlineData("[1, 2", 1, 6, "Unexpected end of file")]
    [InlineData("[1, 2\n", 2, 1, "Unexpected end of file")]
    [InlineData("", 1, 1, "Unexpected end of file")]
    [InlineData("  \n ", 2, 2, "Unexpected end of file")]
    [InlineData("{\"a\":", 1, 6, "Unexpected end of file")]
    [InlineData("[] x", 1, 4, "Trailing content after the JSON value")]
    [InlineData("{}\n{}", 2, 1, "Trailing content after the JSON value")]
    [InlineData("1 2", 1, 3, "Trailing content after the JSON value")]
    [InlineData("\r\n\r\n  x", 3, 3, "Invalid literal 'x'")]
    [InlineData("\r\r #", 3, 2, "Unexpected character '#'")]
    [InlineData("\n\r\n\r@", 4, 1, "Unexpected character '@'")]
    [InlineData("[1 /* c */]", 1, 4, "Expected ',' or ']'")]
    [InlineData("[1,\u00a02]", 1, 4, "Unexpected character U+00A0")]
    [InlineData("[é]", 1, 2, "Unexpected character U+00E9 'é'")]
    [InlineData("[😀]", 1, 2, "Unexpected character U+1F600 '😀'")]
    [InlineData("[\0]", 1, 2, "Unexpected character U+0000")]
    [InlineData("[undefined]", 1, 2, "Invalid literal 'undefined'")]
    public void Malformed_input_reports_line_and_column(string text, int line, int column, string message)
    {
        JsonParseResult result = Fail(text);
        Assert.StartsWith(message, result.Error);
        Assert.Equal((line, column), (result.ErrorLine, result.ErrorColumn));
    }

    [Fact]
    public void Lone_surrogate_outside_a_string_is_named_by_code()
    {
        // Not an InlineData: attribute strings cannot hold a lone surrogate.
        JsonParseResult result = Fail("[\ud800]");
        Assert.Equal("Unexpected character U+D800", result.Error);
        Assert.Equal((1, 2), (result.ErrorLine, result.ErrorColumn));
    }

    [Fact]
    public void Long_bad_tokens_are_cut_in_messages()
    {
        JsonParseResult result = Fail("[" + new string('1', 50) + "x]");
        Assert.Equal("Invalid number '" + new string('1', 32) + "...'", result.Error);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        JsonParseResult result = Fail(new string('[', 100_000));
        Assert.Equal("Nesting deeper than 256 levels", result.Error);
        Assert.Equal((1, 257), (result.ErrorLine, result.ErrorColumn));
    }

    [Fact]
    public void Nesting_limit_is_exactly_256_levels()
    {
        Assert.IsType<JsonArray>(Parse(new string('[', 256) + new string(']', 256)));
        Assert.Contains("Nesting deeper than 256", Fail(new string('[', 257) + new string(']', 257)).Error);
        string objects = string.Concat(Enumerable.Repeat("{\"a\":", 256)) + "1" + new string('}', 256);
        Assert.IsType<JsonObject>(Parse(objects));
        Assert.Contains("Nesting deeper than 256", Fail("[" + objects + "]").Error);
    }

    [Fact]
    public void Deep_nesting_fits_a_small_stack()
    {
        // The depth limit bounds recursion: even a 256 KB thread stack is enough for the deepest documents.
        JsonParseResult? deepest = null, tooDeep = null;
        var thread = new Thread(
            () =>
            {
                deepest = JsonReader.Parse(string.Concat(Enumerable.Repeat("[{\"a\":", 128)) + "1" + string.Concat(Enumerable.Repeat("}]", 128)), default);
                tooDeep = JsonReader.Parse(new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":[{", 100_000)), default);
            },
            256 * 1024);
        thread.Start();
        thread.Join();
        Assert.NotNull(deepest!.Value.Root);
        Assert.Contains("Nesting deeper than 256", tooDeep!.Value.Error);
    }

    [Fact]
    public void Every_prefix_of_a_document_is_an_end_of_file_error()
    {
        const string document = "\uFEFF{\"class_name\": \"Sequential\",\r\n \"config\": {\"layers\": [{\"w\": [[1.5e-3, -2, 0.25E+2], [NaN, \"\\u0041\\n\\ud83d\\ude00\"]], \"b\": true, \"c\": false, \"d\": null, \"e\": [Infinity, -Infinity, {}, []]}]}}";
        for (int length = 0; length < document.Length; length++)
        {
            string prefix = document.Substring(0, length);
            JsonParseResult result = JsonReader.Parse(prefix, default);
            Assert.Null(result.Root);
            Assert.True(result.Error is "Unexpected end of file" or "Unterminated string", $"prefix {length}: {result.Error}");
            if (result.Error == "Unexpected end of file")
            {
                // One CRLF in the document; a prefix ending between CR and LF already has its line break.
                int lastBreak = prefix.LastIndexOfAny(new[] { '\r', '\n' });
                int lastLineStart = lastBreak >= 0 ? lastBreak + 1 : Math.Min(length, 1); // the BOM is no column
                Assert.Equal((lastBreak >= 0 ? 2 : 1, length - lastLineStart + 1), (result.ErrorLine, result.ErrorColumn));
            }
        }
        Assert.NotNull(JsonReader.Parse(document, default).Root);
    }

    [Fact]
    public void Random_mutations_never_throw()
    {
        const string document = "{\"a\": [1, -2.5e-3, NaN, -Infinity, true, null], \"b\": {\"c\": \"x\\u00e9\\\"\\n\"}, \"d\": [[], {}]}";
        const string alphabet = "{}[],:\"\\-+.0123456789eEuaINtfn \n\r\tx\0\ud800é";
        var random = new Random(42);
        int valid = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(document);
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(text.Length + 1);
                char c = alphabet[random.Next(alphabet.Length)];
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, c); break;
                    case 1: if (at < text.Length) text.Remove(at, 1); break;
                    default: if (at < text.Length) text[at] = c; break;
                }
            }
            JsonParseResult result = JsonReader.Parse(text.ToString(), default);
            if (result.Root is not null)
            {
                valid++;
                Assert.Null(result.Error);
            }
            else
            {
                Assert.NotNull(result.Error);
                Assert.InRange(result.ErrorLine, 1, 10);
                Assert.InRange(result.ErrorColumn, 1, text.Length + 1);
            }
        }
        Assert.InRange(valid, 1, 19_999);
    }

    [Fact]
    public void Cancellation_is_the_one_exception()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => JsonReader.Parse("[]", cancelled.Token));
        string big = "[" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "]";
        Assert.Throws<OperationCanceledException>(() => JsonReader.Parse(big, cancelled.Token));
        Assert.Equal(100_000, Assert.IsType<JsonArray>(JsonReader.Parse(big, CancellationToken.None).Root).Count);
    }

    [Fact]
    public void Null_text_is_an_error_not_an_exception()
        => Assert.Equal("Unexpected end of file", JsonReader.Parse(null!, default).Error);

    /// <summary>
    /// A million numbers parse, each to the float Keras wrote. How fast is a benchmark's question, not a test's:
    /// IdeEditBenchmarks times the re-read of a 1M-parameter weights file (docs/performance.md).
    /// </summary>
    [Fact]
    public void A_million_numbers_parse_to_the_floats_written()
    {
        // Float32 weights widened to double, as Keras writes them: 17 significant digits, the slow path.
        var text = new StringBuilder("[");
        var random = new Random(7);
        var written = new float[1_000_000];
        for (int i = 0; i < written.Length; i++)
        {
            written[i] = (float)(random.NextDouble() - 0.5);
            text.Append(i == 0 ? "" : ", ").Append(((double)written[i]).ToString("R", CultureInfo.InvariantCulture));
        }
        text.Append(']');
        var array = Assert.IsType<JsonArray>(Parse(text.ToString()));
        Assert.Equal(written.Length, array.Count);
        for (int i = 0; i < written.Length; i++)
        {
            float read = (float)Assert.IsType<JsonNumber>(array.Items[i]).Value;
            if (read != written[i]) Assert.Fail($"number {i}: read {read:R}, written {written[i]:R}");
        }
    }
}
