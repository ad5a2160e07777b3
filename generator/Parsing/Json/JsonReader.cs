using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;

namespace LstmGen.Generator.Parsing
{
    /// <summary>Either the document's root or where and why it is malformed.</summary>
    internal readonly struct JsonParseResult
    {
        public JsonParseResult(JsonNode? root, string? error, int errorLine, int errorColumn)
        {
            Root = root;
            Error = error;
            ErrorLine = errorLine;
            ErrorColumn = errorColumn;
        }

        public JsonNode? Root { get; }

        public string? Error { get; }

        public int ErrorLine { get; }

        public int ErrorColumn { get; }
    }

    /// <summary>
    /// A strict JSON reader (plus Python's NaN / Infinity / -Infinity tokens, which json.dump writes for
    /// non-finite weights). It never throws on bad input: errors come back with line and column.
    /// </summary>
    internal sealed class JsonReader
    {
        private const int MaxDepth = 256;

        private readonly string _text;
        private readonly CancellationToken _cancellationToken;
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        private int _tokens;

        private JsonReader(string text, CancellationToken cancellationToken)
        {
            _text = text;
            _cancellationToken = cancellationToken;
        }

        public static JsonParseResult Parse(string text, CancellationToken cancellationToken)
        {
            var reader = new JsonReader(text, cancellationToken);
            try
            {
                if (text.Length > 0 && text[0] == '\uFEFF') reader._pos = 1;
                JsonNode root = reader.ReadValue(0);
                reader.SkipWhitespace();
                if (reader._pos < text.Length) throw reader.Error("Trailing content after the JSON value");
                return new JsonParseResult(root, null, 0, 0);
            }
            catch (JsonSyntaxException e)
            {
                return new JsonParseResult(null, e.Message, e.Line, e.Column);
            }
        }

        private JsonNode ReadValue(int depth)
        {
            if (depth > MaxDepth) throw Error("Nesting deeper than " + MaxDepth + " levels");
            if ((++_tokens & 4095) == 0) _cancellationToken.ThrowIfCancellationRequested();
            SkipWhitespace();
            if (_pos >= _text.Length) throw Error("Unexpected end of file");
            int line = _line, column = Column;
            char c = _text[_pos];
            switch (c)
            {
                case '{': return ReadObject(depth, line, column);
                case '[': return ReadArray(depth, line, column);
                case '"': return new JsonString(line, column, ReadString());
                case 't': Expect("true"); return new JsonLiteral(line, column, JsonKind.True);
                case 'f': Expect("false"); return new JsonLiteral(line, column, JsonKind.False);
                case 'n': Expect("null"); return new JsonLiteral(line, column, JsonKind.Null);
                case 'N': Expect("NaN"); return new JsonNumber(line, column, double.NaN, false);
                case 'I': Expect("Infinity"); return new JsonNumber(line, column, double.PositiveInfinity, false);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(line, column);
                    throw Error("Unexpected character '" + c + "'");
            }
        }

        private JsonObject ReadObject(int depth, int line, int column)
        {
            _pos++;
            var members = new List<KeyValuePair<string, JsonNode>>();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return new JsonObject(line, column, members);
            }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') throw Error(_pos >= _text.Length ? "Unexpected end of file" : "Expected a property name in double quotes");
                string name = ReadString();
                SkipWhitespace();
                if (Peek() != ':') throw Error("Expected ':' after property name");
                _pos++;
                members.Add(new KeyValuePair<string, JsonNode>(name, ReadValue(depth + 1)));
                SkipWhitespace();
                char next = Peek();
                _pos++;
                if (next == ',') continue;
                if (next == '}') return new JsonObject(line, column, members);
                _pos--;
                throw Error(_pos >= _text.Length ? "Unexpected end of file" : "Expected ',' or '}'");
            }
        }

        private JsonArray ReadArray(int depth, int line, int column)
        {
            _pos++;
            var items = new List<JsonNode>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
                return new JsonArray(line, column, items);
            }
            while (true)
            {
                items.Add(ReadValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                _pos++;
                if (next == ',') continue;
                if (next == ']') return new JsonArray(line, column, items);
                _pos--;
                throw Error(_pos >= _text.Length ? "Unexpected end of file" : "Expected ',' or ']'");
            }
        }

        private JsonNumber ReadNumber(int line, int column)
        {
            int start = _pos;
            if (Peek() == '-')
            {
                _pos++;
                if (Peek() == 'I')
                {
                    Expect("Infinity");
                    return new JsonNumber(line, column, double.NegativeInfinity, false);
                }
            }
            if (Peek() == '0') _pos++;
            else if (!Digits()) throw Error("Invalid number");
            bool integer = true;
            if (Peek() == '.')
            {
                _pos++;
                integer = false;
                if (!Digits()) throw Error("Invalid number: digits expected after '.'");
            }
            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                integer = false;
                if (Peek() == '+' || Peek() == '-') _pos++;
                if (!Digits()) throw Error("Invalid number: digits expected in the exponent");
            }
            string token = _text.Substring(start, _pos - start);
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                // Out of range on older frameworks: the sign decides the infinity.
                value = token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            }
            return new JsonNumber(line, column, value, integer);
        }

        private bool Digits()
        {
            int start = _pos;
            while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9') _pos++;
            return _pos > start;
        }

        private string ReadString()
        {
            _pos++; // opening quote
            int start = _pos;
            StringBuilder? builder = null;
            while (true)
            {
                if (_pos >= _text.Length) throw Error("Unterminated string");
                char c = _text[_pos];
                if (c == '"')
                {
                    string value = builder is null ? _text.Substring(start, _pos - start) : builder.Append(_text, start, _pos - start).ToString();
                    _pos++;
                    return value;
                }
                if (c < ' ')
                {
                    throw Error(c == '\n' || c == '\r' ? "Unterminated string" : "Control character in string");
                }
                if (c != '\\')
                {
                    _pos++;
                    continue;
                }
                builder ??= new StringBuilder();
                builder.Append(_text, start, _pos - start);
                _pos++;
                if (_pos >= _text.Length) throw Error("Unterminated string");
                char escape = _text[_pos++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length
                            || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("Invalid \\u escape");
                        }
                        builder.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        _pos--;
                        throw Error("Invalid escape '\\" + escape + "'");
                }
                start = _pos;
            }
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
            {
                throw Error("Unexpected character '" + _text[_pos] + "'");
            }
            _pos += word.Length;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private int Column => _pos - _lineStart + 1;

        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '\n' || (c == '\r' && (_pos + 1 >= _text.Length || _text[_pos + 1] != '\n')))
                {
                    _line++;
                    _lineStart = _pos + 1;
                }
                else if (c != ' ' && c != '\t' && c != '\r')
                {
                    return;
                }
                _pos++;
            }
        }

        private JsonSyntaxException Error(string message) => new JsonSyntaxException(message, _line, Column);

        /// <summary>Internal to the reader: converted to an error result before Parse returns.</summary>
        private sealed class JsonSyntaxException : Exception
        {
            public JsonSyntaxException(string message, int line, int column)
                : base(message)
            {
                Line = line;
                Column = column;
            }

            public int Line { get; }

            public int Column { get; }
        }
    }
}
