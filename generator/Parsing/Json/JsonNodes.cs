using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Parsing
{
    internal enum JsonKind { Object, Array, Number, String, True, False, Null }

    /// <summary>
    /// A node of the JSON document, with the 1-based line and column of its first character
    /// (columns count UTF-16 code units; a leading byte order mark is not counted).
    /// </summary>
    internal abstract class JsonNode
    {
        protected JsonNode(int line, int column)
        {
            Line = line;
            Column = column;
        }

        public abstract JsonKind Kind { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>
        /// A short description for messages: "number", "string \"tanh\"", "array of 4", "object",
        /// "true", "false", "null". Long strings are cut to 40 characters, control characters escaped.
        /// </summary>
        public string Describe()
        {
            switch (this)
            {
                case JsonString s: return "string \"" + Shorten(s.Value) + "\"";
                case JsonArray a: return "array of " + a.Count.ToString(CultureInfo.InvariantCulture);
                case JsonObject: return "object";
                case JsonNumber: return "number";
                default:
                    return Kind switch
                    {
                        JsonKind.True => "true",
                        JsonKind.False => "false",
                        _ => "null",
                    };
            }
        }

        private static string Shorten(string value)
        {
            const int Max = 40;
            bool cut = value.Length > Max;
            int length = cut ? Max : value.Length;
            StringBuilder? builder = null;
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                if (c >= ' ' && c != '"' && c != '\\' && c != '\u007f')
                {
                    builder?.Append(c);
                    continue;
                }
                builder ??= new StringBuilder(length + 8).Append(value, 0, i);
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default: builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                }
            }
            string shown = builder is null ? (cut ? value.Substring(0, Max) : value) : builder.ToString();
            return cut ? shown + "..." : shown;
        }
    }

    /// <summary>An object: members in file order; lookups by name see the last of duplicate keys.</summary>
    internal sealed class JsonObject : JsonNode
    {
        /// <summary>Objects up to this size are searched linearly instead of through a dictionary.</summary>
        private const int LinearLookupLimit = 8;

        private readonly List<KeyValuePair<string, JsonNode>> _members;
        private readonly Dictionary<string, JsonNode>? _byName;

        public JsonObject(int line, int column, List<KeyValuePair<string, JsonNode>> members)
            : base(line, column)
        {
            _members = members;
            if (members.Count > LinearLookupLimit)
            {
                _byName = new Dictionary<string, JsonNode>(members.Count, StringComparer.Ordinal);
                foreach (KeyValuePair<string, JsonNode> member in members) _byName[member.Key] = member.Value; // last wins
            }
        }

        /// <summary>An empty object (at line 0, column 0) for callers that need a stand-in.</summary>
        public static JsonObject Empty { get; } = new JsonObject(0, 0, new List<KeyValuePair<string, JsonNode>>());

        public override JsonKind Kind => JsonKind.Object;

        /// <summary>Every member in file order, duplicates included.</summary>
        public IReadOnlyList<KeyValuePair<string, JsonNode>> Members => _members;

        public int Count => _members.Count;

        /// <summary>The member's value (the last one when the key is repeated), or null when absent.</summary>
        public JsonNode? this[string name] => TryGet(name, out JsonNode value) ? value : null;

        /// <summary>The member's value (the last one when the key is repeated); <paramref name="value"/> is null when this returns false.</summary>
        public bool TryGet(string name, out JsonNode value)
        {
            if (_byName is not null)
            {
                bool found = _byName.TryGetValue(name, out JsonNode? byName);
                value = byName!;
                return found;
            }
            for (int i = _members.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_members[i].Key, name, StringComparison.Ordinal))
                {
                    value = _members[i].Value;
                    return true;
                }
            }
            value = null!;
            return false;
        }
    }

    internal sealed class JsonArray : JsonNode
    {
        private readonly List<JsonNode> _items;

        public JsonArray(int line, int column, List<JsonNode> items)
            : base(line, column)
        {
            _items = items;
        }

        public override JsonKind Kind => JsonKind.Array;

        public IReadOnlyList<JsonNode> Items => _items;

        public int Count => _items.Count;

        public JsonNode this[int index] => _items[index];
    }

    /// <summary>
    /// A number: the double nearest to the text (±Infinity beyond the double range), or NaN / ±Infinity
    /// for Python's non-standard tokens.
    /// </summary>
    internal sealed class JsonNumber : JsonNode
    {
        public JsonNumber(int line, int column, double value, bool isInteger)
            : base(line, column)
        {
            Value = value;
            IsInteger = isInteger;
        }

        public override JsonKind Kind => JsonKind.Number;

        public double Value { get; }

        /// <summary>True when the text had no fraction or exponent (always false for NaN / Infinity).</summary>
        public bool IsInteger { get; }
    }

    internal sealed class JsonString : JsonNode
    {
        public JsonString(int line, int column, string value)
            : base(line, column)
        {
            Value = value;
        }

        public override JsonKind Kind => JsonKind.String;

        public string Value { get; }
    }

    /// <summary>true, false or null (see <see cref="JsonNode.Kind"/>).</summary>
    internal sealed class JsonLiteral : JsonNode
    {
        private readonly JsonKind _kind;

        public JsonLiteral(int line, int column, JsonKind kind)
            : base(line, column)
        {
            _kind = kind;
        }

        public override JsonKind Kind => _kind;
    }
}
