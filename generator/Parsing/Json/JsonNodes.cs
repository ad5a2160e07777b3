using System;
using System.Collections.Generic;
using System.Globalization;

namespace LstmGen.Generator.Parsing
{
    internal enum JsonKind { Object, Array, Number, String, True, False, Null }

    /// <summary>A node of the JSON document, with the 1-based line and column of its first character.</summary>
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

        /// <summary>A short description for messages: "number", "string \"tanh\"", "array of 4", "object".</summary>
        public string Describe() => this switch
        {
            JsonString s => "string \"" + (s.Value.Length > 40 ? s.Value.Substring(0, 40) + "..." : s.Value) + "\"",
            JsonArray a => "array of " + a.Count.ToString(CultureInfo.InvariantCulture),
            JsonObject => "object",
            JsonNumber => "number",
            _ => Kind.ToString().ToLowerInvariant(),
        };
    }

    internal sealed class JsonObject : JsonNode
    {
        private readonly List<KeyValuePair<string, JsonNode>> _members;
        private readonly Dictionary<string, JsonNode> _byName;

        public JsonObject(int line, int column, List<KeyValuePair<string, JsonNode>> members)
            : base(line, column)
        {
            _members = members;
            _byName = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonNode> member in members) _byName[member.Key] = member.Value; // last wins
        }

        public static JsonObject Empty { get; } = new JsonObject(0, 0, new List<KeyValuePair<string, JsonNode>>());

        public override JsonKind Kind => JsonKind.Object;

        public IReadOnlyList<KeyValuePair<string, JsonNode>> Members => _members;

        public JsonNode? this[string name] => _byName.TryGetValue(name, out JsonNode? value) ? value : null;

        public bool TryGet(string name, out JsonNode? value) => _byName.TryGetValue(name, out value);
    }

    internal sealed class JsonArray : JsonNode
    {
        public JsonArray(int line, int column, List<JsonNode> items)
            : base(line, column)
        {
            Items = items;
        }

        public override JsonKind Kind => JsonKind.Array;

        public IReadOnlyList<JsonNode> Items { get; }

        public int Count => Items.Count;
    }

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

        /// <summary>True when the text had no fraction or exponent.</summary>
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
