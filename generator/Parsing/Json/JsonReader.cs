// Longer than our ~400-line rule on purpose: one recursive-descent parser whose token, number and string
// readers share a cursor and the error position; split across files it would be harder to check against RFC 8259.
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;

namespace LstmGen.Generator.Parsing
{
    /// <summary>Either the document's root or where and why it is malformed (1-based line and column).</summary>
    internal readonly struct JsonParseResult
    {
        public JsonParseResult(JsonNode? root, string? error, int errorLine, int errorColumn)
        {
            Root = root;
            Error = error;
            ErrorLine = errorLine;
            ErrorColumn = errorColumn;
        }

        /// <summary>The root value, or null when the text is not valid JSON.</summary>
        public JsonNode? Root { get; }

        /// <summary>Why the text is not valid JSON, or null on success.</summary>
        public string? Error { get; }

        /// <summary>1-based line of the error; 0 on success.</summary>
        public int ErrorLine { get; }

        /// <summary>1-based column (UTF-16 code units) of the error; 0 on success.</summary>
        public int ErrorColumn { get; }

        public bool IsSuccess => Root is not null;
    }

    /// <summary>
    /// A strict JSON reader (RFC 8259) plus Python's NaN / Infinity / -Infinity tokens, which json.dump writes
    /// for non-finite floats. It never throws on bad input — errors come back with line and column — and only
    /// throws <see cref="System.OperationCanceledException"/> when the token is cancelled.
    /// </summary>
    internal static class JsonReader
    {
        /// <summary>Deepest allowed nesting of arrays and objects.</summary>
        public const int MaxDepth = ModelLimits.MaxJsonDepth;

        public static JsonParseResult Parse(string text, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parser = new Parser(text ?? string.Empty, cancellationToken);
            return parser.ParseDocument();
        }

        private sealed class Parser
        {
            /// <summary>Values read between two looks at the cancellation token (a power of two).</summary>
            private const int CancellationInterval = 4096;

            /// <summary>Longest piece of a bad token quoted in a message.</summary>
            private const int MaxQuoted = 32;

            private readonly string _text;
            private readonly CancellationToken _cancellationToken;
            private int _pos;
            private int _line = 1;
            private int _lineStart;
            private int _values;
            private StringBuilder? _builder;
            private string? _error;
            private int _errorLine;
            private int _errorColumn;

            public Parser(string text, CancellationToken cancellationToken)
            {
                _text = text;
                _cancellationToken = cancellationToken;
            }

            public JsonParseResult ParseDocument()
            {
                if (_text.Length > 0 && _text[0] == '\uFEFF')
                {
                    // The byte order mark is not part of the first line's columns.
                    _pos = 1;
                    _lineStart = 1;
                }
                JsonNode? root = ReadValue(0);
                if (root is not null)
                {
                    SkipWhitespace();
                    if (_pos >= _text.Length) return new JsonParseResult(root, null, 0, 0);
                    Fail<JsonNode>("Trailing content after the JSON value", _pos);
                }
                return new JsonParseResult(null, _error, _errorLine, _errorColumn);
            }

            private JsonNode? ReadValue(int depth)
            {
                if ((++_values & (CancellationInterval - 1)) == 0) _cancellationToken.ThrowIfCancellationRequested();
                SkipWhitespace();
                if (_pos >= _text.Length) return EndOfFile<JsonNode>();
                int line = _line;
                int column = _pos - _lineStart + 1;
                char c = _text[_pos];
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(line, column);
                switch (c)
                {
                    case '"':
                        string? value = ReadString();
                        return value is null ? null : new JsonString(line, column, value);
                    case '[':
                    case '{':
                        if (depth >= MaxDepth) return Fail<JsonNode>("Nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels", _pos);
                        return c == '[' ? ReadArray(depth, line, column) : ReadObject(depth, line, column);
                    case '+':
                    case '.':
                        return InvalidNumber(_pos);
                    default:
                        if (IsAsciiLetter(c)) return ReadWord(_pos, line, column);
                        return Fail<JsonNode>("Unexpected character " + CharacterText(_pos), _pos);
                }
            }

            private JsonNode? ReadArray(int depth, int line, int column)
            {
                _pos++; // '['
                var items = new List<JsonNode>();
                SkipWhitespace();
                if (_pos < _text.Length && _text[_pos] == ']')
                {
                    _pos++;
                    return new JsonArray(line, column, items);
                }
                while (true)
                {
                    JsonNode? item = ReadValue(depth + 1);
                    if (item is null) return null;
                    items.Add(item);
                    SkipWhitespace();
                    if (_pos >= _text.Length) return EndOfFile<JsonNode>();
                    char c = _text[_pos];
                    if (c == ']')
                    {
                        _pos++;
                        return new JsonArray(line, column, items);
                    }
                    if (c != ',') return Fail<JsonNode>("Expected ',' or ']'", _pos);
                    int commaLine = _line, commaColumn = _pos - _lineStart + 1;
                    _pos++;
                    SkipWhitespace();
                    if (_pos < _text.Length && _text[_pos] == ']') return FailAt<JsonNode>("Trailing comma before ']'", commaLine, commaColumn);
                }
            }

            private JsonNode? ReadObject(int depth, int line, int column)
            {
                _pos++; // '{'
                var members = new List<KeyValuePair<string, JsonNode>>();
                SkipWhitespace();
                if (_pos < _text.Length && _text[_pos] == '}')
                {
                    _pos++;
                    return new JsonObject(line, column, members);
                }
                while (true)
                {
                    // Whitespace before the name is already skipped.
                    if (_pos >= _text.Length) return EndOfFile<JsonNode>();
                    if (_text[_pos] != '"') return Fail<JsonNode>("Expected a property name in double quotes", _pos);
                    string? name = ReadString();
                    if (name is null) return null;
                    SkipWhitespace();
                    if (_pos >= _text.Length) return EndOfFile<JsonNode>();
                    if (_text[_pos] != ':') return Fail<JsonNode>("Expected ':' after property name", _pos);
                    _pos++;
                    JsonNode? value = ReadValue(depth + 1);
                    if (value is null) return null;
                    members.Add(new KeyValuePair<string, JsonNode>(name, value));
                    SkipWhitespace();
                    if (_pos >= _text.Length) return EndOfFile<JsonNode>();
                    char c = _text[_pos];
                    if (c == '}')
                    {
                        _pos++;
                        return new JsonObject(line, column, members);
                    }
                    if (c != ',') return Fail<JsonNode>("Expected ',' or '}'", _pos);
                    int commaLine = _line, commaColumn = _pos - _lineStart + 1;
                    _pos++;
                    SkipWhitespace();
                    if (_pos < _text.Length && _text[_pos] == '}') return FailAt<JsonNode>("Trailing comma before '}'", commaLine, commaColumn);
                }
            }

            /// <summary>A number by the JSON grammar; <c>-Infinity</c> is handed to <see cref="ReadWord"/>.</summary>
            private JsonNode? ReadNumber(int line, int column)
            {
                string text = _text;
                int start = _pos;
                bool negative = false;
                if (text[_pos] == '-')
                {
                    negative = true;
                    _pos++;
                    if (_pos >= text.Length) return EndOfFile<JsonNode>();
                    if (IsAsciiLetter(text[_pos])) return ReadWord(start, line, column);
                }

                // Up to 19 significant digits go into the mantissa (exactly); more make the conversion inexact.
                ulong mantissa = 0;
                int significant = 0;
                bool exact = true;
                int exponent = 0;

                if (_pos >= text.Length) return EndOfFile<JsonNode>();
                char c = text[_pos];
                if (c == '0')
                {
                    _pos++;
                }
                else if (c >= '1' && c <= '9')
                {
                    do
                    {
                        if (significant < 19)
                        {
                            mantissa = (mantissa * 10) + (ulong)(c - '0');
                            significant++;
                        }
                        else
                        {
                            exact = false;
                        }
                        _pos++;
                    }
                    while (_pos < text.Length && (c = text[_pos]) >= '0' && c <= '9');
                }
                else
                {
                    return InvalidNumber(start);
                }

                bool isInteger = true;
                if (_pos < text.Length && text[_pos] == '.')
                {
                    isInteger = false;
                    _pos++;
                    if (_pos >= text.Length) return EndOfFile<JsonNode>();
                    c = text[_pos];
                    if (c < '0' || c > '9') return InvalidNumber(start);
                    do
                    {
                        if (significant < 19)
                        {
                            if (mantissa != 0 || c != '0')
                            {
                                mantissa = (mantissa * 10) + (ulong)(c - '0');
                                significant++;
                            }
                            exponent--;
                        }
                        else
                        {
                            exact = false;
                        }
                        _pos++;
                    }
                    while (_pos < text.Length && (c = text[_pos]) >= '0' && c <= '9');
                }

                bool negativeExponent = false;
                if (_pos < text.Length && (text[_pos] == 'e' || text[_pos] == 'E'))
                {
                    isInteger = false;
                    _pos++;
                    if (_pos < text.Length && (text[_pos] == '+' || text[_pos] == '-'))
                    {
                        negativeExponent = text[_pos] == '-';
                        _pos++;
                    }
                    if (_pos >= text.Length) return EndOfFile<JsonNode>();
                    c = text[_pos];
                    if (c < '0' || c > '9') return InvalidNumber(start);
                    int written = 0;
                    do
                    {
                        if (written < 100_000) written = (written * 10) + (c - '0');
                        _pos++;
                    }
                    while (_pos < text.Length && (c = text[_pos]) >= '0' && c <= '9');
                    exponent += negativeExponent ? -written : written;
                }

                if (_pos < text.Length && IsNumberTail(text[_pos])) return InvalidNumber(start);

                if (exact && JsonNumberConverter.TryConvert(mantissa, exponent, out double value))
                {
                    return new JsonNumber(line, column, negative ? -value : value, isInteger);
                }

                // More than 19 significant digits, or a case the converter leaves to the runtime.
                string token = text.Substring(start, _pos - start);
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    // Only out-of-range values fail, and only on .NET Framework (.NET Core returns ±Infinity / ±0).
                    value = negativeExponent ? 0.0 : double.PositiveInfinity;
                    if (negative) value = -value;
                }
                return new JsonNumber(line, column, value, isInteger);
            }

            /// <summary>true, false, null, NaN, Infinity, or (from <paramref name="start"/> at a '-') -Infinity.</summary>
            private JsonNode? ReadWord(int start, int line, int column)
            {
                string text = _text;
                bool negative = text[start] == '-';
                int wordStart = negative ? start + 1 : start;
                int end = wordStart;
                while (end < text.Length && IsWordCharacter(text[end])) end++;
                int length = end - wordStart;
                JsonNode? node = null;
                if (!negative)
                {
                    if (Is(wordStart, length, "true")) node = new JsonLiteral(line, column, JsonKind.True);
                    else if (Is(wordStart, length, "false")) node = new JsonLiteral(line, column, JsonKind.False);
                    else if (Is(wordStart, length, "null")) node = new JsonLiteral(line, column, JsonKind.Null);
                    else if (Is(wordStart, length, "NaN")) node = new JsonNumber(line, column, double.NaN, false);
                    else if (Is(wordStart, length, "Infinity")) node = new JsonNumber(line, column, double.PositiveInfinity, false);
                }
                else if (Is(wordStart, length, "Infinity"))
                {
                    node = new JsonNumber(line, column, double.NegativeInfinity, false);
                }
                if (node is not null)
                {
                    _pos = end;
                    return node;
                }

                if (end >= text.Length)
                {
                    // A truncated literal ("tr", "-Inf") is the end of the file, not a bad word.
                    bool truncated = negative
                        ? StartsWord(wordStart, length, "Infinity")
                        : StartsWord(wordStart, length, "true") || StartsWord(wordStart, length, "false") || StartsWord(wordStart, length, "null")
                            || StartsWord(wordStart, length, "NaN") || StartsWord(wordStart, length, "Infinity");
                    if (truncated) return EndOfFile<JsonNode>();
                }
                if (negative && length == 0) return InvalidNumber(start);
                return Fail<JsonNode>("Invalid literal '" + Quote(start, end) + "'", start);
            }

            private bool Is(int start, int length, string word)
                => length == word.Length && string.CompareOrdinal(_text, start, word, 0, length) == 0;

            private bool StartsWord(int start, int length, string word)
                => length < word.Length && string.CompareOrdinal(_text, start, word, 0, length) == 0;

            /// <summary>A malformed number starting at <paramref name="start"/>: quotes the whole number-like run.</summary>
            private JsonNode? InvalidNumber(int start)
            {
                int end = start;
                while (end < _text.Length && (IsNumberTail(_text[end]) || (end == start && _text[end] == '-'))) end++;
                if (end == start) return Fail<JsonNode>("Unexpected character " + CharacterText(start), start);
                return Fail<JsonNode>("Invalid number '" + Quote(start, end) + "'", start);
            }

            private string? ReadString()
            {
                string text = _text;
                int quote = _pos;
                int start = ++_pos;
                bool escaped = false;
                while (true)
                {
                    if (_pos >= text.Length) return Fail<string>("Unterminated string", quote);
                    char c = text[_pos];
                    if (c == '"')
                    {
                        string value;
                        if (escaped)
                        {
                            value = _builder!.Append(text, start, _pos - start).ToString();
                        }
                        else
                        {
                            value = text.Substring(start, _pos - start);
                        }
                        _pos++;
                        return value;
                    }
                    if (c == '\\')
                    {
                        if (!escaped)
                        {
                            escaped = true;
                            _builder ??= new StringBuilder();
                            _builder.Clear();
                        }
                        _builder!.Append(text, start, _pos - start);
                        int backslash = _pos;
                        _pos++;
                        if (_pos >= text.Length) return Fail<string>("Unterminated string", quote);
                        char escape = text[_pos];
                        switch (escape)
                        {
                            case '"': _builder.Append('"'); break;
                            case '\\': _builder.Append('\\'); break;
                            case '/': _builder.Append('/'); break;
                            case 'b': _builder.Append('\b'); break;
                            case 'f': _builder.Append('\f'); break;
                            case 'n': _builder.Append('\n'); break;
                            case 'r': _builder.Append('\r'); break;
                            case 't': _builder.Append('\t'); break;
                            case 'u':
                                int code = 0;
                                for (int i = 1; i <= 4; i++)
                                {
                                    if (_pos + i >= text.Length) return Fail<string>("Unterminated string", quote);
                                    int digit = HexValue(text[_pos + i]);
                                    if (digit < 0) return Fail<string>("Invalid \\u escape (expected four hex digits)", backslash);
                                    code = (code << 4) | digit;
                                }
                                // Surrogate pairs come as two escapes and recombine here; lone surrogates pass through.
                                _builder.Append((char)code);
                                _pos += 4;
                                break;
                            default:
                                if (escape == '\n' || escape == '\r') return Fail<string>("Unterminated string", quote);
                                if (escape > ' ' && escape < '\u007f') return Fail<string>("Invalid escape '\\" + escape + "'", backslash);
                                return Fail<string>("Invalid escape: backslash followed by " + CharacterText(_pos), backslash);
                        }
                        _pos++;
                        start = _pos;
                        continue;
                    }
                    if (c < ' ')
                    {
                        if (c == '\n' || c == '\r') return Fail<string>("Unterminated string", quote);
                        return Fail<string>("Control character " + CharacterText(_pos) + " in string (must be escaped)", _pos);
                    }
                    _pos++;
                }
            }

            private void SkipWhitespace()
            {
                string text = _text;
                int pos = _pos;
                while (pos < text.Length)
                {
                    char c = text[pos];
                    if (c == ' ' || c == '\t')
                    {
                        pos++;
                    }
                    else if (c == '\n')
                    {
                        pos++;
                        _line++;
                        _lineStart = pos;
                    }
                    else if (c == '\r')
                    {
                        pos++;
                        if (pos < text.Length && text[pos] == '\n') pos++;
                        _line++;
                        _lineStart = pos;
                    }
                    else
                    {
                        break;
                    }
                }
                _pos = pos;
            }

            private T? EndOfFile<T>()
                where T : class
                => Fail<T>("Unexpected end of file", _text.Length);

            /// <summary>Records an error at a position on the current line (tokens never span lines).</summary>
            private T? Fail<T>(string message, int position)
                where T : class
                => FailAt<T>(message, _line, position - _lineStart + 1);

            private T? FailAt<T>(string message, int line, int column)
                where T : class
            {
                _error = message;
                _errorLine = line;
                _errorColumn = column;
                return null;
            }

            /// <summary>The text from start to end for a message, cut to <see cref="MaxQuoted"/> characters.</summary>
            private string Quote(int start, int end)
                => end - start > MaxQuoted ? _text.Substring(start, MaxQuoted) + "..." : _text.Substring(start, end - start);

            /// <summary>'x' for visible ASCII, otherwise the code point (U+00A0, U+1F600 'x').</summary>
            private string CharacterText(int position)
            {
                char c = _text[position];
                if (c > ' ' && c < '\u007f') return "'" + c + "'";
                int codePoint = c;
                string shown = c.ToString();
                if (char.IsHighSurrogate(c) && position + 1 < _text.Length && char.IsLowSurrogate(_text[position + 1]))
                {
                    codePoint = char.ConvertToUtf32(c, _text[position + 1]);
                    shown = _text.Substring(position, 2);
                }
                string code = "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
                UnicodeCategory category = char.GetUnicodeCategory(shown, 0);
                bool visible = codePoint > 0x7f && !char.IsWhiteSpace(c)
                    && category != UnicodeCategory.Control && category != UnicodeCategory.Format
                    && category != UnicodeCategory.Surrogate && category != UnicodeCategory.OtherNotAssigned
                    && category != UnicodeCategory.LineSeparator && category != UnicodeCategory.ParagraphSeparator;
                return visible ? code + " '" + shown + "'" : code;
            }

            private static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

            private static bool IsWordCharacter(char c) => IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';

            /// <summary>Characters that cannot directly follow a number: they make it one malformed token.</summary>
            private static bool IsNumberTail(char c) => IsWordCharacter(c) || c == '.' || c == '+' || c == '-';

            private static int HexValue(char c)
            {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                return -1;
            }
        }
    }
}
