using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LstmGen.Fuzz;

/// <summary>
/// A tiny JSON tree the mutator can bend in ways System.Text.Json refuses: duplicate keys, NaN / Infinity
/// tokens, numbers kept as their exact text, strings written with or without escaping.
/// </summary>
internal abstract class JNode
{
    public abstract JNode Clone();

    public abstract void Write(StringBuilder sb);

    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }
}

internal sealed class JObj : JNode
{
    public List<KeyValuePair<string, JNode>> Members { get; } = new();

    public JNode? this[string key]
    {
        get
        {
            foreach (var m in Members) if (m.Key == key) return m.Value;
            return null;
        }
    }

    public override JNode Clone()
    {
        var o = new JObj();
        foreach (var m in Members) o.Members.Add(new(m.Key, m.Value.Clone()));
        return o;
    }

    public override void Write(StringBuilder sb)
    {
        sb.Append('{');
        for (int i = 0; i < Members.Count; i++)
        {
            if (i > 0) sb.Append(',');
            JStr.WriteEscaped(sb, Members[i].Key);
            sb.Append(':');
            Members[i].Value.Write(sb);
        }
        sb.Append('}');
    }
}

internal sealed class JArr : JNode
{
    public List<JNode> Items { get; } = new();

    public JArr() { }

    public JArr(IEnumerable<JNode> items) => Items.AddRange(items);

    public override JNode Clone()
    {
        var a = new JArr();
        foreach (JNode item in Items) a.Items.Add(item.Clone());
        return a;
    }

    public override void Write(StringBuilder sb)
    {
        sb.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Items[i].Write(sb);
        }
        sb.Append(']');
    }
}

/// <summary>A string value; <see cref="Raw"/> writes the characters unescaped where JSON allows it.</summary>
internal sealed class JStr(string value, bool raw = false) : JNode
{
    public string Value { get; } = value;

    public bool Raw { get; } = raw;

    public override JNode Clone() => new JStr(Value, Raw);

    public override void Write(StringBuilder sb)
    {
        if (Raw)
        {
            sb.Append('"').Append(Value).Append('"');
            return;
        }
        WriteEscaped(sb, Value);
    }

    public static void WriteEscaped(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '"') sb.Append("\\\"");
            else if (c == '\\') sb.Append("\\\\");
            else if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); // lone surrogate: only expressible escaped
            }
            else if (char.IsHighSurrogate(c))
            {
                sb.Append(c).Append(value[++i]);
            }
            else sb.Append(c);
        }
        sb.Append('"');
    }
}

/// <summary>Any other token, written exactly as its text: numbers, true/false/null, NaN, Infinity, or garbage.</summary>
internal sealed class JRaw(string text) : JNode
{
    public string Text { get; } = text;

    public bool IsNumber => Text.Length > 0 && (Text[0] == '-' || char.IsAsciiDigit(Text[0]));

    public override JNode Clone() => new JRaw(Text);

    public override void Write(StringBuilder sb) => sb.Append(Text);
}

/// <summary>Parses the committed fixtures (strict JSON plus bare words such as NaN) into <see cref="JNode"/>s.</summary>
internal static class JParser
{
    public static JNode Parse(string text)
    {
        int pos = 0;
        JNode node = Value(text, ref pos);
        Skip(text, ref pos);
        if (pos != text.Length) throw new FormatException("trailing content at " + pos);
        return node;
    }

    private static void Skip(string t, ref int p)
    {
        while (p < t.Length && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t' || t[p] == '\uFEFF')) p++;
    }

    private static JNode Value(string t, ref int p)
    {
        Skip(t, ref p);
        if (p >= t.Length) throw new FormatException("unexpected end");
        char c = t[p];
        if (c == '{')
        {
            p++;
            var o = new JObj();
            Skip(t, ref p);
            if (t[p] == '}') { p++; return o; }
            while (true)
            {
                Skip(t, ref p);
                string key = String(t, ref p);
                Skip(t, ref p);
                if (t[p++] != ':') throw new FormatException("':' expected at " + p);
                o.Members.Add(new(key, Value(t, ref p)));
                Skip(t, ref p);
                char d = t[p++];
                if (d == '}') return o;
                if (d != ',') throw new FormatException("',' expected at " + p);
            }
        }
        if (c == '[')
        {
            p++;
            var a = new JArr();
            Skip(t, ref p);
            if (t[p] == ']') { p++; return a; }
            while (true)
            {
                a.Items.Add(Value(t, ref p));
                Skip(t, ref p);
                char d = t[p++];
                if (d == ']') return a;
                if (d != ',') throw new FormatException("',' expected at " + p);
            }
        }
        if (c == '"') return new JStr(String(t, ref p));
        int start = p;
        while (p < t.Length && (char.IsAsciiLetterOrDigit(t[p]) || t[p] is '-' or '+' or '.')) p++;
        if (p == start) throw new FormatException("unexpected '" + c + "' at " + p);
        return new JRaw(t[start..p]);
    }

    private static string String(string t, ref int p)
    {
        if (t[p] != '"') throw new FormatException("string expected at " + p);
        p++;
        var sb = new StringBuilder();
        while (t[p] != '"')
        {
            char c = t[p++];
            if (c != '\\') { sb.Append(c); continue; }
            char e = t[p++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u': sb.Append((char)int.Parse(t.AsSpan(p, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); p += 4; break;
                default: sb.Append(e); break;
            }
        }
        p++;
        return sb.ToString();
    }
}
