using System;
using System.Numerics;

namespace LstmGen.Generator.Parsing
{
    /// <summary>
    /// Correctly rounded decimal-to-double conversion for up to 19 significant digits without allocating:
    /// Clinger's fast path, then the Eisel–Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per
    /// Second", 2021, sections 5–6). It declines the rare inputs it cannot settle (ambiguous products,
    /// subnormal or out-of-range results) and the caller falls back to <see cref="double.Parse(string, System.IFormatProvider)"/>.
    /// Besides speed this gives the same bits on every host (.NET Framework's double.Parse is not always correctly rounded).
    /// </summary>
    internal static class JsonNumberConverter
    {
        private const int SmallestPowerOfTen = -342;
        private const int LargestPowerOfTen = 308;
        private const int MantissaBits = 52;
        private const int MinimumExponent = -1023;
        private const int InfinitePower = 0x7FF;

        /// <summary>Exact powers of ten for the fast path (10^22 is the largest exact double power of ten).</summary>
        private static readonly double[] PowersOfTen =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// The value of <paramref name="significand"/> × 10^<paramref name="exponent"/> rounded to nearest, ties to even,
        /// when it can be settled here; false means "use double.Parse on the text".
        /// </summary>
        /// <param name="significand">The decimal digits as an integer (at most 19 digits, so exact).</param>
        /// <param name="exponent">The power of ten to scale by.</param>
        public static bool TryConvert(ulong significand, int exponent, out double value)
        {
            if (significand == 0)
            {
                value = 0;
                return true;
            }
            if (significand <= (1UL << 53) && exponent >= -22 && exponent <= 22)
            {
                // Clinger: both operands are exact doubles, so one IEEE operation rounds correctly.
                value = exponent >= 0 ? significand * PowersOfTen[exponent] : significand / PowersOfTen[-exponent];
                return true;
            }
            value = 0;
            if (exponent < SmallestPowerOfTen || exponent > LargestPowerOfTen) return false;

            int leadingZeros = LeadingZeroCount(significand);
            ulong w = significand << leadingZeros;
            ulong[] powers = PowersOfFive.Table;
            int index = 2 * (exponent - SmallestPowerOfTen);

            // The product w × 5^q to 128 bits; a second multiplication only when the first leaves the result unclear.
            ulong high = MultiplyHigh(w, powers[index], out ulong low);
            const ulong PrecisionMask = ulong.MaxValue >> (MantissaBits + 3);
            if ((high & PrecisionMask) == PrecisionMask)
            {
                ulong secondHigh = MultiplyHigh(w, powers[index + 1], out _);
                low += secondHigh;
                if (secondHigh > low) high++;
            }
            if (low == ulong.MaxValue && (exponent < -27 || exponent > 55)) return false; // not provably exact

            int upperBit = (int)(high >> 63);
            int shift = upperBit + 64 - MantissaBits - 3;
            ulong mantissa = high >> shift;
            int power2 = Power(exponent) + upperBit - leadingZeros - MinimumExponent;
            if (power2 <= 0) return false; // subnormal: left to double.Parse

            // Ties: only possible when 5^q fits in 64 bits; round down to even when exactly halfway.
            if (low <= 1 && exponent >= -4 && exponent <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
            {
                mantissa &= ~1UL;
            }
            mantissa += mantissa & 1;
            mantissa >>= 1;
            if (mantissa >= (2UL << MantissaBits))
            {
                mantissa = 1UL << MantissaBits;
                power2++;
            }
            mantissa &= ~(1UL << MantissaBits);
            if (power2 >= InfinitePower) return false; // overflow: left to double.Parse (Infinity)

            value = BitConverter.Int64BitsToDouble((long)(((ulong)power2 << MantissaBits) | mantissa));
            return true;
        }

        /// <summary>floor(log2(10^q)) + 63, exact over the table's range.</summary>
        private static int Power(int q) => ((q * (152170 + 65536)) >> 16) + 63;

        /// <summary>The high 64 bits of a × b; the low 64 bits go to <paramref name="low"/>.</summary>
        internal static ulong MultiplyHigh(ulong a, ulong b, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow;
            ulong lowHigh = aLow * bHigh;
            ulong highLow = aHigh * bLow;
            ulong highHigh = aHigh * bHigh;
            ulong middle = (lowLow >> 32) + (uint)lowHigh + (uint)highLow;
            low = (middle << 32) | (uint)lowLow;
            return highHigh + (lowHigh >> 32) + (highLow >> 32) + (middle >> 32);
        }

        private static int LeadingZeroCount(ulong value)
        {
            int count = 0;
            if ((value >> 32) == 0) { count += 32; value <<= 32; }
            if ((value >> 48) == 0) { count += 16; value <<= 16; }
            if ((value >> 56) == 0) { count += 8; value <<= 8; }
            if ((value >> 60) == 0) { count += 4; value <<= 4; }
            if ((value >> 62) == 0) { count += 2; value <<= 2; }
            if ((value >> 63) == 0) count += 1;
            return count;
        }

        /// <summary>
        /// 5^q for q in [-342, 308] as normalised 128-bit significands (high word, low word), built on first use the
        /// way fast_float's table_generation.py builds its table: positive powers truncated, negative powers
        /// (reciprocals) rounded up.
        /// </summary>
        internal static class PowersOfFive
        {
            public static readonly ulong[] Table = Build();

            private static ulong[] Build()
            {
                var table = new ulong[2 * (LargestPowerOfTen - SmallestPowerOfTen + 1)];
                BigInteger mask64 = ulong.MaxValue;
                for (int q = SmallestPowerOfTen; q <= LargestPowerOfTen; q++)
                {
                    BigInteger c;
                    if (q < 0)
                    {
                        BigInteger power5 = BigInteger.Pow(5, -q);
                        int z = BitLength(power5); // 5^k is never a power of two: 2^(z-1) < 5^k < 2^z
                        int b = q >= -27 ? z + 127 : (2 * z) + 128;
                        c = (BigInteger.One << b) / power5 + 1;
                        int excess = BitLength(c) - 128;
                        if (excess > 0) c >>= excess;
                    }
                    else
                    {
                        c = BigInteger.Pow(5, q);
                        int excess = BitLength(c) - 128;
                        c = excess > 0 ? c >> excess : c << -excess;
                    }
                    int index = 2 * (q - SmallestPowerOfTen);
                    table[index] = (ulong)(c >> 64);
                    table[index + 1] = (ulong)(c & mask64);
                }
                return table;
            }

            private static int BitLength(BigInteger value)
            {
                byte[] bytes = value.ToByteArray(); // little-endian two's complement; value is positive
                int top = bytes.Length - 1;
                while (top > 0 && bytes[top] == 0) top--;
                int bits = top * 8;
                for (int b = bytes[top]; b != 0; b >>= 1) bits++;
                return bits;
            }
        }
    }
}
