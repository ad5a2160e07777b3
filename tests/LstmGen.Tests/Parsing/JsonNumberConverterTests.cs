using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using LstmGen.Generator.Parsing;

namespace LstmGen.Tests.Parsing;

/// <summary>
/// The allocation-free decimal-to-double conversion (Clinger fast path + Eisel–Lemire) must give exactly the bits
/// of .NET's correctly rounded double.Parse, or decline.
/// </summary>
public sealed class JsonNumberConverterTests
{
    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    private static double Expected(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Parses every token as one JSON array and compares each value with double.Parse, bit for bit.</summary>
    /// <param name="settledByConverter">Also require the fast converter itself (not the fallback) to decide each token of up to 19 digits.</param>
    private static void AssertAllMatch(IReadOnlyList<string> tokens, bool settledByConverter = false)
    {
        var json = new StringBuilder("[");
        for (int i = 0; i < tokens.Count; i++) json.Append(i == 0 ? "" : ",").Append(tokens[i]);
        json.Append(']');
        JsonParseResult result = JsonReader.Parse(json.ToString(), default);
        var array = Assert.IsType<JsonArray>(result.Root);
        Assert.Equal(tokens.Count, array.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            double actual = ((JsonNumber)array[i]).Value;
            double expected = Expected(tokens[i]);
            if (Bits(actual) != Bits(expected))
            {
                Assert.Fail($"'{tokens[i]}': got {actual:R} (0x{Bits(actual):x16}), expected {expected:R} (0x{Bits(expected):x16})");
            }
            if (settledByConverter && Decompose(tokens[i]) is var (significand, exponent))
            {
                Assert.True(JsonNumberConverter.TryConvert(significand, exponent, out double converted), tokens[i]);
                Assert.Equal(Bits(Math.Abs(expected)), Bits(converted));
            }
        }
    }

    [Theory]
    [InlineData(-342, 0xeef453d6923bd65aUL, 0x113faa2906a13b3fUL)]
    [InlineData(-327, 0xd43bf0effdc0ba48UL, 0x0212bd1b2566def2UL)]
    [InlineData(-205, 0x806bd9714632dff6UL, 0x00ba1cd8a3db53b6UL)]
    [InlineData(-71, 0x8d590723948a535fUL, 0x579c487e5a38ad0eUL)]
    [InlineData(-28, 0xfd87b5f28300ca0dUL, 0x8bca9d6e188853fcUL)]
    [InlineData(-27, 0x9e74d1b791e07e48UL, 0x775ea264cf55347eUL)]
    [InlineData(-1, 0xccccccccccccccccUL, 0xcccccccccccccccdUL)]
    [InlineData(0, 0x8000000000000000UL, 0UL)]
    [InlineData(1, 0xa000000000000000UL, 0UL)]
    [InlineData(28, 0x813f3978f8940984UL, 0x4000000000000000UL)]
    [InlineData(55, 0xd0cf4b50cfe20765UL, 0xfff4b4e3f741cf6dUL)]
    [InlineData(187, 0x9316ff75dd87cbd8UL, 0x09a7f12442d588f2UL)]
    [InlineData(308, 0x8e679c2f5e44ff8fUL, 0x570f09eaa7ea7648UL)]
    public void Power_of_five_table_matches_the_published_one(int q, ulong high, ulong low)
    {
        ulong[] table = JsonNumberConverter.PowersOfFive.Table;
        Assert.Equal(2 * 651, table.Length);
        int index = 2 * (q + 342);
        Assert.Equal((high, low), (table[index], table[index + 1]));
    }

    [Fact]
    public void Multiply_high_is_the_full_128_bit_product()
    {
        var random = new Random(3);
        var buffer = new byte[16];
        for (int i = 0; i < 10_000; i++)
        {
            random.NextBytes(buffer);
            ulong a = i == 0 ? ulong.MaxValue : BitConverter.ToUInt64(buffer, 0);
            ulong b = i == 0 ? ulong.MaxValue : BitConverter.ToUInt64(buffer, 8);
            UInt128 product = (UInt128)a * b;
            ulong high = JsonNumberConverter.MultiplyHigh(a, b, out ulong low);
            Assert.Equal(((ulong)(product >> 64), (ulong)product), (high, low));
        }
    }

    [Theory]
    [InlineData(0UL, 0, 0.0)]
    [InlineData(0UL, 1000, 0.0)]
    [InlineData(1UL, 0, 1.0)]
    [InlineData(15UL, -1, 1.5)]
    [InlineData(1UL, 23, 1e23)]
    [InlineData(17976931348623157UL, 292, 1.7976931348623157e308)]
    [InlineData(22250738585072014UL, -324, 2.2250738585072014e-308)]
    [InlineData(10000000000000000000UL, -19, 1.0)]
    public void Converts_what_it_can_settle(ulong significand, int exponent, double expected)
    {
        Assert.True(JsonNumberConverter.TryConvert(significand, exponent, out double value));
        Assert.Equal(Bits(expected), Bits(value));
    }

    [Theory]
    [InlineData(1UL, -400)] // below the table: left to double.Parse (zero)
    [InlineData(1UL, 400)] // above the table: left to double.Parse (infinity)
    [InlineData(17976931348623159UL, 292)] // rounds past the largest double
    [InlineData(22250738585072011UL, -324)] // subnormal
    [InlineData(49406564584124654UL, -340)] // the smallest subnormal
    public void Declines_subnormal_and_out_of_range_results(ulong significand, int exponent)
        => Assert.False(JsonNumberConverter.TryConvert(significand, exponent, out _));

    [Theory]
    [InlineData("1.7976931348623158e308")]
    [InlineData("1.7976931348623159e308")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("2.2250738585072012e-308")]
    [InlineData("4.9406564584124654e-324")]
    [InlineData("2.4703282292062327e-324")]
    [InlineData("2.4703282292062328e-324")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740995")]
    [InlineData("18014398509481986")]
    [InlineData("9999999999999999999")]
    [InlineData("9999999999999999999e-19")]
    [InlineData("0.1e-999")]
    [InlineData("7.2057594037927933e16")]
    [InlineData("1.00000000000000011102230246251565404236316680908203125")] // 1 + half an ulp: ties to even
    [InlineData("1.00000000000000011102230246251565404236316680908203126")]
    public void Edge_cases_match_double_parse(string text)
        => AssertAllMatch(new[] { text, "-" + text });

    /// <summary>Splits "-1.25E-3" into 125 and -5 (null past 19 significant digits).</summary>
    private static (ulong Significand, int Exponent)? Decompose(string text)
    {
        int e = text.IndexOfAny(new[] { 'e', 'E' });
        string digits = e < 0 ? text : text.Substring(0, e);
        int exponent = e < 0 ? 0 : int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        digits = digits.TrimStart('-');
        int point = digits.IndexOf('.');
        if (point >= 0)
        {
            exponent -= digits.Length - point - 1;
            digits = digits.Remove(point, 1);
        }
        digits = digits.TrimStart('0');
        if (digits.Length == 0) return (0, 0);
        if (digits.Length > 19) return null;
        return (ulong.Parse(digits, CultureInfo.InvariantCulture), exponent);
    }

    [Fact]
    public void Every_normal_double_is_settled_by_the_converter_itself()
    {
        // Not just correct through the double.Parse fallback: the fast algorithm must decide these on its own.
        var random = new Random(77);
        var buffer = new byte[8];
        int checkedCount = 0;
        while (checkedCount < 200_000)
        {
            random.NextBytes(buffer);
            double value = Math.Abs(BitConverter.ToDouble(buffer, 0));
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 2.2250738585072014e-308) continue;
            foreach (string text in new[] { value.ToString("R", CultureInfo.InvariantCulture), value.ToString("E18", CultureInfo.InvariantCulture) })
            {
                var (significand, exponent) = Decompose(text)!.Value;
                Assert.True(JsonNumberConverter.TryConvert(significand, exponent, out double converted), text);
                Assert.Equal(Bits(Expected(text)), Bits(converted));
                checkedCount++;
            }
        }
    }

    [Fact]
    public void Random_doubles_over_the_whole_range_round_trip_in_every_format()
    {
        var random = new Random(2024);
        var buffer = new byte[8];
        var tokens = new List<string>();
        while (tokens.Count < 300_000)
        {
            random.NextBytes(buffer);
            double value = BitConverter.ToDouble(buffer, 0);
            if (double.IsNaN(value) || double.IsInfinity(value)) continue;
            tokens.Add(value.ToString("R", CultureInfo.InvariantCulture)); // shortest, up to 17 digits
            tokens.Add(value.ToString("E16", CultureInfo.InvariantCulture)); // 17 digits
            tokens.Add(value.ToString("E18", CultureInfo.InvariantCulture)); // 19 digits, the most the converter takes
        }
        AssertAllMatch(tokens);
    }

    [Fact]
    public void Random_digit_strings_near_float_weights_match()
    {
        // Keras writes float32 weights widened to double; also probe 15 to 19 random digits at typical scales.
        var random = new Random(99);
        var tokens = new List<string>();
        for (int i = 0; i < 100_000; i++)
        {
            tokens.Add(((double)(float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 4)))).ToString("R", CultureInfo.InvariantCulture));
            var digits = new StringBuilder("0.");
            int count = random.Next(15, 20);
            for (int d = 0; d < count; d++) digits.Append((char)('0' + random.Next(10)));
            tokens.Add(digits + "e" + random.Next(-40, 40).ToString(CultureInfo.InvariantCulture));
        }
        AssertAllMatch(tokens, settledByConverter: true);
    }

    [Fact]
    public void Exact_halfway_cases_round_to_even()
    {
        // t × 10^q is halfway between two doubles when t = v / 5^-q... built from odd 54-bit v: the tie-breaking path.
        var random = new Random(5);
        var tokens = new List<string>();
        for (int i = 0; i < 20_000; i++)
        {
            ulong v = ((1UL << 53) | ((ulong)random.NextInt64() & ((1UL << 53) - 1))) | 1UL; // odd, 54 bits: a midpoint
            int q = random.Next(-4, 23);
            if (q <= 0)
            {
                // v / 2^k = (v × 5^k) × 10^-k
                BigInteger t = v * BigInteger.Pow(5, -q);
                tokens.Add(t.ToString(CultureInfo.InvariantCulture) + "e" + q.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                // v × 2^q = (v / 5^q) × 10^q needs 5^q | v: take v = 5^q × odd t.
                BigInteger power = BigInteger.Pow(5, q);
                BigInteger low = ((BigInteger.One << 53) + power - 1) / power, high = ((BigInteger.One << 54) - 1) / power;
                if (high < low) continue;
                BigInteger t = low + (new BigInteger(random.NextInt64()) % (high - low + 1));
                if (t.IsEven) t = t == high ? t - 1 : t + 1;
                if (t < low || t > high) continue;
                tokens.Add(t.ToString(CultureInfo.InvariantCulture) + "e" + q.ToString(CultureInfo.InvariantCulture));
            }
        }
        Assert.True(tokens.Count > 10_000);
        AssertAllMatch(tokens, settledByConverter: true);
    }
}
