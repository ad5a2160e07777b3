using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LstmGen.Fuzz;

/// <summary>How the bytes of the weights file become the SourceText the generator sees.</summary>
internal enum Decoding
{
    /// <summary>As a build does for AdditionalFiles: strict UTF-8 (BOM-detected), else the fallback code page, else unreadable.</summary>
    Build,

    /// <summary><c>SourceText.From(stream)</c> with no encoding: BOM-detected, invalid UTF-8 becomes U+FFFD.</summary>
    Lenient,
}

/// <summary>One fuzz input: the weights file's bytes, how the consumer asks for it, and how it was made.</summary>
internal sealed record FuzzInput(byte[] Bytes, bool Unroll, Decoding Decoding, string Description);

/// <summary>
/// Derives inputs from the committed fixtures: structure-aware mutations on the JSON tree, text- and byte-level
/// mutations, or both. Input <c>i</c> of seed <c>s</c> depends only on (s, i), so any input can be recreated alone.
/// </summary>
internal sealed class Mutator
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly (string Name, string Text, byte[] Bytes, JNode? Tree)[] _seeds;

    public Mutator(IEnumerable<(string Name, string Text)> seeds)
    {
        _seeds = seeds
            .OrderBy(s => s.Text.Length)
            .Select(s => (s.Name, s.Text, s_utf8.GetBytes(s.Text), TryParse(s.Text)))
            .ToArray();
        if (_seeds.Length == 0) throw new InvalidOperationException("no seed fixtures");
    }

    public int SeedCount => _seeds.Length;

    private static JNode? TryParse(string text)
    {
        try
        {
            return JParser.Parse(text);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public FuzzInput Create(int seed, int iteration)
    {
        var rng = new Random(unchecked((seed * 1_000_003) ^ (iteration * 7_919) ^ 0x5bd1e995));
        // Biased to the smaller fixtures (they fuzz faster), but every fixture is used.
        int a = rng.Next(_seeds.Length), b = rng.Next(_seeds.Length);
        var s = _seeds[rng.Next(2) == 0 ? Math.Min(a, b) : a];
        var log = new List<string> { s.Name };
        bool unroll = rng.Next(4) == 0;
        Decoding decoding = rng.Next(5) == 0 ? Decoding.Lenient : Decoding.Build;

        byte[] bytes;
        int kind = rng.Next(100);
        if (kind < 6)
        {
            // A valid model of random shape, extreme sizes included, then maybe one more mutation.
            log.Clear();
            JNode synthetic = Synthetic(rng, log);
            bytes = s_utf8.GetBytes(rng.Next(3) == 0 ? MutateTree(rng, synthetic, log) : synthetic.ToString());
        }
        else if (kind < 8 || s.Tree is null && kind < 65)
        {
            log.Add("unmodified");
            bytes = s.Bytes;
        }
        else if (kind < 65)
        {
            bytes = s_utf8.GetBytes(MutateTree(rng, s.Tree!, log));
        }
        else if (kind < 85)
        {
            bytes = MutateBytes(rng, s.Bytes, log);
        }
        else
        {
            string text = s.Tree is null ? s.Text : MutateTree(rng, s.Tree, log);
            bytes = MutateBytes(rng, s_utf8.GetBytes(text), log);
        }
        if (unroll) log.Add("Unroll=true");
        if (decoding == Decoding.Lenient) log.Add("lenient decoding");
        return new FuzzInput(bytes, unroll, decoding, Printable(string.Join("; ", log)));
    }

    /// <summary>The description with control characters, line separators and lone surrogates escaped (it goes into logs and files).</summary>
    internal static string Printable(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair) { sb.Append(c).Append(text[++i]); continue; }
            if (c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c) || c == '\uFEFF')
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    // ---------------------------------------------------------------- structure-aware

    private static readonly string[] s_keys =
    {
        "units", "activation", "recurrent_activation", "use_bias", "return_sequences", "go_backwards", "stateful",
        "return_state", "time_major", "unroll", "name", "batch_input_shape", "batch_shape", "input_shape", "weights",
        "config", "class_name", "layers", "keras_version", "module", "build_config", "build_input_shape", "dtype",
        "lora_rank", "quantization_config", "inbound_nodes", "input_layers", "output_layers", "dropout", "implementation",
        "Units", "UNITS", "", " ", "units ", "\u0000", "kernel", "bias",
    };

    internal static readonly string[] HostileStrings =
    {
        "*/", "/*", "*/ #error hostile /*", "\n#error hostile", "\r\n#error hostile", "\r#error hostile", "\u2028#error hostile",
        "\u2029#error hostile", "\u0085#error hostile", "x\n}\nclass Injected {\n", "\"", "\\", "\\\"", "'", "<", "&", ">", "&amp;",
        "</summary>", "</c>", "<see cref=\"Injected\"/>", "]]>", "<!--", "{0}", "{", "}", "{{", "\u0000", "\t", "\v", "\f",
        "@\"", "$\"{x}\"", "\"); System.Environment.Exit(1); //", "a\u202Eb", "\uFEFF", "\uD800", "\uDC00x", "\U0001F600", "é",
        "", " ", "namespace", "global::", "#if false", "// comment", "/// <summary>", "\u000B#error hostile", "`", "%s%n",
        "\u200B", "\u00A0", "LSTM", "Sequential", "tanh", "3.0.0\n#error hostile", "2.15.0\u2028#error hostile",
    };

    private static readonly string[] s_activations =
    {
        "tanh", "sigmoid", "hard_sigmoid", "relu", "linear", "elu", "selu", "softsign", "softplus", "swish", "silu",
        "exponential", "softmax", "gelu", "relu6", "leaky_relu", "mish", "TANH", "Tanh", " tanh", "tanh ", "", "None", "null",
    };

    private static readonly string[] s_units =
    {
        "-1", "0", "1", "2", "3", "-0", "1.0", "1.5", "1e0", "1e1", "2147483647", "2147483648", "4294967296", "1073741824",
        "536870912", "536870913", "1e10", "1e400", "-2147483648", "99999999999999999999", "\"4\"", "null", "true", "[4]", "{}",
        "NaN", "Infinity", "-Infinity", "4.0000000000000001",
    };

    internal static readonly string[] SpecialNumbers =
    {
        "NaN", "Infinity", "-Infinity", "1e39", "-1e39", "-0", "-0.0", "0e0", "0E-0", "4.9e-324", "5e-324", "1e-400", "1.4e-45",
        "1e-45", "7e-46", "1.17549435e-38", "1.1754942e-38", "3.4028235e38", "-3.4028235e38", "3.4028234663852886e38",
        "3.4028235677973366e38", "3.4028236e38", "1e308", "1.7976931348623157e308", "1e309", "-1e309", "2.5e-45",
        "123456789012345678901234567890", "0.1", "1E5", "1e+5", "1e-5", "16777217", "0.30000000000000004",
        "1.00000000000000000000000000000000000000000000000000000000000001", "-NaN", "nan", "inf", "Infinity1", "0x10", "+1",
        "01", ".5", "5.", "1e", "-", "--1", "1_000", "NaNa", "Inf", "-Inf", "infinity", "1.0e-45",
    };

    private static readonly string[] s_keras = { "3.0.0", "3", "2.15.0", "2.2.4", "tfjs-layers 4.22.0", "TFJS", "", "3\n#error hostile" };

    private string MutateTree(Random rng, JNode seedTree, List<string> log)
    {
        JNode root = seedTree.Clone();
        int count = 1 + (rng.Next(3) == 0 ? rng.Next(3) : 0);
        for (int i = 0; i < count; i++)
        {
            root = MutateOnce(rng, root, log);
        }
        var sb = new StringBuilder();
        root.Write(sb);
        return sb.ToString();
    }

    /// <summary>A place in the tree that holds a value: an object member or an array item (or the root).</summary>
    private sealed record Slot(JNode? Parent, int Index, string? Key, bool InWeights, int Depth)
    {
        public JNode Get(JNode root) => Parent switch
        {
            JObj o => o.Members[Index].Value,
            JArr a => a.Items[Index],
            _ => root,
        };
    }

    private static List<Slot> Slots(JNode root)
    {
        var slots = new List<Slot> { new(null, 0, null, false, 0) };
        void Walk(JNode node, bool inWeights, int depth)
        {
            if (node is JObj o)
            {
                for (int i = 0; i < o.Members.Count; i++)
                {
                    bool w = inWeights || o.Members[i].Key == "weights";
                    slots.Add(new Slot(o, i, o.Members[i].Key, w, depth + 1));
                    Walk(o.Members[i].Value, w, depth + 1);
                }
            }
            else if (node is JArr a)
            {
                for (int i = 0; i < a.Items.Count; i++)
                {
                    slots.Add(new Slot(a, i, null, inWeights, depth + 1));
                    Walk(a.Items[i], inWeights, depth + 1);
                }
            }
        }
        Walk(root, false, 0);
        return slots;
    }

    private static JNode Set(JNode root, Slot slot, JNode value)
    {
        switch (slot.Parent)
        {
            case JObj o:
                o.Members[slot.Index] = new(o.Members[slot.Index].Key, value);
                return root;
            case JArr a:
                a.Items[slot.Index] = value;
                return root;
            default:
                return value;
        }
    }

    private static T Pick<T>(Random rng, IReadOnlyList<T> list) => list[rng.Next(list.Count)];

    private static Slot? PickSlot(Random rng, List<Slot> slots, Func<Slot, JNode, bool> filter, JNode root)
    {
        var matching = slots.Where(s => filter(s, s.Get(root))).ToList();
        return matching.Count == 0 ? null : matching[rng.Next(matching.Count)];
    }

    private JNode MutateOnce(Random rng, JNode root, List<string> log)
    {
        List<Slot> slots = Slots(root);
        // Slots outside the weight arrays: where the structure lives (the weights are thousands of numbers).
        var structural = slots.Where(s => !s.InWeights || s.Key == "weights").ToList();
        Slot? slot;
        switch (rng.Next(25))
        {
            case 23: // a graph edge rewired: an inbound reference now names another layer (maybe itself, a cycle)
            case 24: // or a reference added beside it (a layer reading two inputs, a merge of three)
                {
                    var names = slots.Where(x => x.Key == "name" && x.Get(root) is JStr).Select(x => ((JStr)x.Get(root)).Value).Distinct().ToList();
                    slot = PickSlot(rng, structural, (x, n) => x.Parent is JArr && x.Index == 0 && n is JStr str && names.Contains(str.Value), root);
                    if (slot is null || names.Count == 0) break;
                    string target = Pick(rng, names);
                    var reference = (JArr)slot.Parent!;
                    if (rng.Next(2) == 0)
                    {
                        log.Add("edge " + ((JStr)slot.Get(root)).Value + " -> " + target);
                        return Set(root, slot, new JStr(target));
                    }
                    // The reference's parent list, when the reference sits in one (Keras 2's [[["a", 0, 0, {}]]]).
                    JArr? list = slots.Where(x => x.Parent is JArr p && x.Get(root) == reference).Select(x => (JArr)x.Parent!).FirstOrDefault();
                    if (list is null) break;
                    var copy = (JArr)reference.Clone();
                    copy.Items[0] = new JStr(target);
                    list.Items.Add(copy);
                    log.Add("extra edge from " + target);
                    return root;
                }
            case 20: // a Conv1D / pooling / padding / cropping / upsampling layer with hostile options, inserted
            case 21:
                slot = PickSlot(rng, structural, (s, n) => n is JArr a && s.Key == "layers" && a.Items.Count > 0, root);
                if (slot is null) break;
                {
                    var layers = (JArr)slot.Get(root);
                    // After the input layer or the first layer mostly (a front end), anywhere sometimes.
                    int at = rng.Next(3) == 0 ? rng.Next(layers.Items.Count + 1) : Math.Min(layers.Items.Count, 1);
                    JNode layer = SequenceLayer(rng, log);
                    log.Add("at " + at);
                    layers.Items.Insert(at, layer);
                    return root;
                }
            case 22: // an option of a sequence layer already there
                slot = PickSlot(rng, structural, (s, _) => s.Key is "kernel_size" or "strides" or "dilation_rate" or "pool_size" or "groups" or "filters" or "cropping" or "size" or "dims"
                    || (s.Key is "padding" or "data_format" && s.Parent is JObj o && o["kernel_size"] is not null | o["pool_size"] is not null | o["padding"] is JArr | o["padding"] is JRaw), root);
                if (slot is null) break;
                {
                    JNode value = JParser.Parse(Pick(rng, s_sequenceOptionValues));
                    log.Add(slot.Key + " = " + Short(value));
                    return Set(root, slot, value);
                }
            case 0: // delete a key
                slot = PickSlot(rng, structural, (s, _) => s.Parent is JObj, root);
                if (slot is null) break;
                log.Add("delete key '" + slot.Key + "'");
                ((JObj)slot.Parent!).Members.RemoveAt(slot.Index);
                return root;
            case 1: // duplicate a key, same or another value
                slot = PickSlot(rng, structural, (s, _) => s.Parent is JObj, root);
                if (slot is null) break;
                {
                    var o = (JObj)slot.Parent!;
                    JNode value = rng.Next(2) == 0 ? o.Members[slot.Index].Value.Clone() : RandomValue(rng);
                    log.Add("duplicate key '" + slot.Key + "' = " + Short(value));
                    o.Members.Insert(rng.Next(o.Members.Count + 1), new(slot.Key!, value));
                }
                return root;
            case 2: // rename a key
                slot = PickSlot(rng, structural, (s, _) => s.Parent is JObj, root);
                if (slot is null) break;
                {
                    var o = (JObj)slot.Parent!;
                    string key = rng.Next(4) == 0 ? Pick(rng, HostileStrings) : Pick(rng, s_keys);
                    log.Add("rename key '" + slot.Key + "' to '" + key + "'");
                    o.Members[slot.Index] = new(key, o.Members[slot.Index].Value);
                }
                return root;
            case 3: // change a value's type
                slot = PickSlot(rng, rng.Next(4) == 0 ? slots : structural, (_, _) => true, root);
                if (slot is null) break;
                {
                    JNode value = RandomValue(rng);
                    log.Add("set " + Where(slot) + " to " + Short(value));
                    return Set(root, slot, value);
                }
            case 4: // wrong shapes, ragged and empty arrays
            case 5:
                slot = PickSlot(rng, rng.Next(3) == 0 ? structural : slots, (_, n) => n is JArr, root);
                if (slot is null) break;
                return Set(root, slot, Reshape(rng, (JArr)slot.Get(root), log, Where(slot)));
            case 6: // units
                slot = PickSlot(rng, structural, (s, _) => s.Key == "units", root);
                if (slot is null) break;
                {
                    string u = Pick(rng, s_units);
                    if (rng.Next(3) == 0 && slot.Get(root) is JRaw r && int.TryParse(r.Text, out int n)) u = (n + rng.Next(-2, 3)).ToString(CultureInfo.InvariantCulture);
                    log.Add("units = " + u);
                    return Set(root, slot, new JRaw(u));
                }
            case 7: // special numbers, mostly in the weights
            case 8:
                slot = PickSlot(rng, rng.Next(4) == 0 ? structural : slots, (_, n) => n is JRaw r && r.IsNumber, root);
                if (slot is null) break;
                {
                    string number = Pick(rng, SpecialNumbers);
                    log.Add("number at " + Where(slot) + " = " + number);
                    return Set(root, slot, new JRaw(number));
                }
            case 9: // numbers as strings
                slot = PickSlot(rng, rng.Next(2) == 0 ? structural : slots, (_, n) => n is JRaw r && r.IsNumber, root);
                if (slot is null) break;
                log.Add("number at " + Where(slot) + " as a string");
                return Set(root, slot, new JStr(((JRaw)slot.Get(root)).Text));
            case 10: // deep nesting
                slot = PickSlot(rng, rng.Next(3) == 0 ? slots : structural, (_, _) => true, root);
                if (slot is null) break;
                {
                    int depth = Pick(rng, new[] { 3, 50, 250, 254, 255, 256, 257, 1000, 100_000 });
                    bool objects = rng.Next(2) == 0;
                    string open = objects ? "{\"a\":" : "[", close = objects ? "}" : "]";
                    var sb = new StringBuilder();
                    for (int i = 0; i < depth; i++) sb.Append(open);
                    sb.Append('1');
                    for (int i = 0; i < depth; i++) sb.Append(close);
                    log.Add("nest " + depth + (objects ? " objects" : " arrays") + " at " + Where(slot));
                    return Set(root, slot, new JRaw(sb.ToString()));
                }
            case 11: // very long strings
                slot = PickSlot(rng, structural, (_, n) => n is JStr, root);
                if (slot is null) break;
                {
                    int length = Pick(rng, new[] { 1_000, 100_000, 1_000_000 });
                    string unit = rng.Next(2) == 0 ? "x" : Pick(rng, HostileStrings);
                    var sb = new StringBuilder();
                    while (sb.Length < length) sb.Append(unit.Length == 0 ? "y" : unit);
                    log.Add("string at " + Where(slot) + " = " + length + " chars of " + Short(new JStr(unit)));
                    return Set(root, slot, new JStr(sb.ToString()));
                }
            case 12: // hostile strings, mostly in names
            case 13:
                slot = PickSlot(rng, structural, (s, n) => n is JStr && (rng.Next(2) == 0 || s.Key == "name"), root);
                if (slot is null) break;
                {
                    string hostile = Pick(rng, HostileStrings);
                    string original = ((JStr)slot.Get(root)).Value;
                    string value = rng.Next(3) switch { 0 => hostile, 1 => original + hostile, _ => original + hostile + original };
                    // Raw (unescaped) only where JSON allows it: no control characters, quotes or backslashes.
                    bool raw = rng.Next(2) == 0 && value.All(c => c >= ' ' && c != '"' && c != '\\' && !char.IsSurrogate(c));
                    log.Add("string at " + Where(slot) + " = " + Short(new JStr(value)) + (raw ? " (unescaped)" : ""));
                    return Set(root, slot, new JStr(value, raw));
                }
            case 14: // input shape
                slot = PickSlot(rng, structural, (s, n) => n is JArr && s.Key is "batch_input_shape" or "batch_shape" or "input_shape" or "build_input_shape", root);
                if (slot is null) break;
                {
                    var shape = (JArr)slot.Get(root);
                    string f = shape.Items.Count > 0 ? shape.Items[^1].ToString() : "1";
                    string t = shape.Items.Count > 1 ? shape.Items[^2].ToString() : "1";
                    string[] choices =
                    {
                        $"[null,0,{f}]", $"[null,-1,{f}]", $"[null,{t},0]", $"[null,{t},-{f}]", $"[null,null,{f}]", $"[null,{t},null]",
                        $"[{t},{f}]", $"[null,{t},{f},1]", "[]", $"[null,10000000,{f}]", $"[null,10000001,{f}]", $"[null,2147483647,{f}]",
                        $"[null,1,{f}]", $"[null,1024,{f}]", $"[null,1025,{f}]", $"[null,4097,{f}]", $"[null,\"{t}\",{f}]", $"[null,1.5,{f}]",
                        $"[null,1e3,{f}]", $"[null,1000.0,{f}]", $"[null,null,{f}]", $"[null,{t},{f}.0]", $"[null,{t},{f}e0]", $"[null,2,{f}]",
                        $"[null,{t},1e400]", $"[-1,{t},{f}]", $"[1,{t},{f}]",
                    };
                    string chosen = Pick(rng, choices);
                    log.Add(slot.Key + " = " + chosen);
                    return Set(root, slot, new JRaw(chosen)); // verbatim: the pieces may be any JSON
                }
            case 15: // the layer list
                slot = PickSlot(rng, structural, (s, n) => n is JArr a && s.Key == "layers" && a.Items.Count > 0, root);
                if (slot is null) break;
                {
                    var layers = (JArr)slot.Get(root);
                    int i = rng.Next(layers.Items.Count), j = rng.Next(layers.Items.Count);
                    switch (rng.Next(7))
                    {
                        case 0: log.Add("delete layer " + i); layers.Items.RemoveAt(i); break;
                        case 1: log.Add("duplicate layer " + i); layers.Items.Insert(j, layers.Items[i].Clone()); break;
                        case 2: log.Add("swap layers " + i + ", " + j); (layers.Items[i], layers.Items[j]) = (layers.Items[j], layers.Items[i]); break;
                        case 3: log.Add("reverse layers"); layers.Items.Reverse(); break;
                        case 4:
                        {
                            string layer = Pick(rng, new[]
                            {
                                "{\"class_name\":\"Dropout\",\"config\":{\"rate\":0.5}}",
                                "{\"class_name\":\"Activation\",\"config\":{\"activation\":\"" + Pick(rng, s_activations) + "\"}}",
                                "{\"class_name\":\"GRU\",\"config\":{\"units\":3}}",
                                "{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,3,2]}}",
                                "{\"class_name\":\"Dense\",\"config\":{\"units\":1},\"weights\":[[[1]],[0]]}",
                                "{\"class_name\":\"GaussianNoise\",\"config\":{\"stddev\":1}}",
                                "{}", "null", "[]", "{\"class_name\":7}",
                            });
                            log.Add("insert layer " + layer + " at " + j);
                            layers.Items.Insert(j, JParser.Parse(layer));
                            break;
                        }
                        case 5: log.Add("keep only layer " + i); { JNode keep = layers.Items[i]; layers.Items.Clear(); layers.Items.Add(keep); } break;
                        default: log.Add("empty layer list"); layers.Items.Clear(); break;
                    }
                    return root;
                }
            case 16: // flags that change the model (often still valid)
                slot = PickSlot(rng, structural, (s, _) => s.Key is "return_sequences" or "go_backwards" or "use_bias" or "stateful" or "return_state" or "time_major" or "unroll", root);
                if (slot is null) break;
                {
                    string value = Pick(rng, new[] { "true", "false", "true", "false", "null", "1", "0", "\"true\"" });
                    log.Add(slot.Key + " = " + value);
                    return Set(root, slot, JParser.Parse(value));
                }
            case 17: // activations
                slot = PickSlot(rng, structural, (s, _) => s.Key is "activation" or "recurrent_activation", root);
                if (slot is null) break;
                {
                    JNode value = rng.Next(5) == 0
                        ? JParser.Parse(Pick(rng, new[] { "null", "7", "{\"class_name\":\"Tanh\"}", "{\"module\":\"keras.activations\",\"class_name\":\"function\",\"config\":\"tanh\"}", "[\"tanh\"]" }))
                        : new JStr(Pick(rng, s_activations));
                    log.Add(slot.Key + " = " + Short(value));
                    return Set(root, slot, value);
                }
            case 18: // dialect and model class
                if (root is JObj top)
                {
                    if (rng.Next(2) == 0)
                    {
                        string v = Pick(rng, s_keras);
                        log.Add("keras_version = " + Short(new JStr(v)));
                        top.Members.RemoveAll(m => m.Key == "keras_version");
                        top.Members.Add(new("keras_version", new JStr(v)));
                    }
                    else
                    {
                        string c = Pick(rng, new[] { "Functional", "Model", "Sequential ", "sequential", "Sequential\u0000", "" });
                        log.Add("class_name = " + Short(new JStr(c)));
                        top.Members.RemoveAll(m => m.Key == "class_name");
                        top.Members.Add(new("class_name", new JStr(c)));
                    }
                    return root;
                }
                break;
            default: // a weight value that stays valid: exercises the emitted literals
                slot = PickSlot(rng, slots, (s, n) => s.InWeights && n is JRaw r && r.IsNumber, root);
                if (slot is null) break;
                {
                    double scale = Math.Pow(10, rng.Next(-46, 39));
                    double value = (rng.NextDouble() * 2 - 1) * scale;
                    string text = value.ToString(rng.Next(2) == 0 ? "R" : "E9", CultureInfo.InvariantCulture);
                    log.Add("weight at " + Where(slot) + " = " + text);
                    return Set(root, slot, new JRaw(text));
                }
        }
        log.Add("(no applicable slot)");
        return root;
    }

    /// <summary>Hostile values for the options of Conv1D, pooling, padding, cropping, upsampling and Permute.</summary>
    private static readonly string[] s_sequenceOptionValues =
    {
        "0", "-1", "1", "2", "3", "[0]", "[-2]", "[1]", "[2]", "[3]", "[3, 3]", "[]", "[[3]]", "1000000", "1000001", "2147483647",
        "2147483648", "1e9", "1.5", "[1.5]", "\"3\"", "null", "true", "NaN", "[0, 0]", "[5, 5]", "[100000, 1]", "[1, -1]", "[1, 2, 3]",
        "\"same\"", "\"valid\"", "\"causal\"", "\"full\"", "\"SAME\"", "\"channels_first\"", "\"channels_last\"", "\"channelsFirst\"",
        "[2, 1]", "[1, 2]",
    };

    /// <summary>
    /// A Conv1D, pooling, padding, cropping, upsampling or Permute layer with sizes from ordinary to hostile (kernel_size huge or
    /// 0, strides 0, pool sizes and croppings larger than any input, huge upsampling, kernels off by one, NaN weights).
    /// </summary>
    private static JNode SequenceLayer(Random rng, List<string> log)
    {
        string Window() => Pick(rng, new[] { "1", "2", "3", "[3]", "[5]", "0", "[0]", "-1", "100", "1000000", "2147483647", "[2, 2]", "null", "1.5" });
        var sb = new StringBuilder();
        switch (rng.Next(7))
        {
            case 0:
            case 1:
            {
                int k = Pick(rng, new[] { 1, 2, 3, 5, 0, 64 });
                int input = Pick(rng, new[] { 1, 2, 3, 4, 6, 8 });
                int filters = Pick(rng, new[] { 1, 2, 4, 6 });
                string kernelSize = rng.Next(4) == 0 ? Window() : "[" + k + "]";
                string strides = Pick(rng, new[] { "[1]", "[1]", "[2]", "[3]", "0", "[0]", "-2", "100000", "null" });
                string dilation = Pick(rng, new[] { "[1]", "[1]", "[2]", "[3]", "0", "1000000", "null" });
                string padding = Pick(rng, new[] { "\"valid\"", "\"same\"", "\"causal\"", "\"full\"", "null", "3" });
                string groups = Pick(rng, new[] { "1", "1", "2", "3", "0", "-1", "7" });
                bool bias = rng.Next(4) != 0;
                string activation = Pick(rng, new[] { "linear", "relu", "tanh", "softmax", "gelu" });
                // The kernel as the layer expects it, or off by one in one dimension; NaN now and then.
                int g = int.TryParse(groups, out int parsed) && parsed > 0 ? parsed : 1;
                int[] shape = { Math.Max(k, 1), Math.Max(input / g, 1), filters };
                if (rng.Next(3) == 0) shape[rng.Next(3)] += rng.Next(2) == 0 ? 1 : -1;
                bool nan = rng.Next(6) == 0;
                sb.Append("{\"class_name\":\"Conv1D\",\"config\":{\"name\":\"fuzz_conv\",\"filters\":").Append(filters)
                  .Append(",\"kernel_size\":").Append(kernelSize).Append(",\"strides\":").Append(strides).Append(",\"dilation_rate\":").Append(dilation)
                  .Append(",\"padding\":").Append(padding).Append(",\"groups\":").Append(groups).Append(",\"activation\":\"").Append(activation)
                  .Append("\",\"use_bias\":").Append(bias ? "true" : "false").Append(",\"data_format\":\"").Append(rng.Next(8) == 0 ? "channels_first" : "channels_last")
                  .Append("\"},\"weights\":[");
                Tensor(sb, rng, shape, 0, nan);
                if (bias) { sb.Append(','); Tensor(sb, rng, new[] { filters }, 0, nan); }
                sb.Append("]}");
                log.Add($"insert Conv1D(kernel_size {kernelSize}, strides {strides}, dilation {dilation}, padding {padding}, groups {groups}, kernel [{string.Join(",", shape)}]{(nan ? ", NaN" : "")})");
                break;
            }
            case 2:
            {
                string name = rng.Next(2) == 0 ? "MaxPooling1D" : "AveragePooling1D";
                string pool = Window(), strides = Pick(rng, new[] { "null", "[1]", "[2]", "0", "[0]", "1000000" });
                string padding = Pick(rng, new[] { "\"valid\"", "\"same\"", "\"causal\"", "null" });
                string format = Pick(rng, new[] { "\"channels_last\"", "\"channels_last\"", "\"channels_first\"", "\"channelsFirst\"", "null", "\"channels_middle\"" });
                sb.Append("{\"class_name\":\"").Append(name).Append("\",\"config\":{\"name\":\"fuzz_pool\",\"pool_size\":").Append(pool)
                  .Append(",\"strides\":").Append(strides).Append(",\"padding\":").Append(padding).Append(",\"data_format\":").Append(format).Append("}}");
                log.Add($"insert {name}(pool_size {pool}, strides {strides}, padding {padding}, data_format {format})");
                break;
            }
            case 5:
            {
                // Permute: (2, 1) transposes a fixed-length sequence (rows and features swap), (1, 2) is the identity.
                string dims = Pick(rng, new[] { "[2, 1]", "[2, 1]", "[1, 2]", "[1]", "[3, 1, 2]", "[0, 1]", "[2, 2]", "[]", "null", "\"21\"", "[2.0, 1.0]", "[2147483647, 1]" });
                sb.Append("{\"class_name\":\"Permute\",\"config\":{\"name\":\"fuzz_permute\",\"dims\":").Append(dims).Append("}}");
                log.Add("insert Permute(" + dims + ")");
                break;
            }
            case 3:
            {
                string padding = Pick(rng, new[] { "1", "[0, 0]", "[2, 0]", "[0, 3]", "-1", "[1, -1]", "[1000000, 1000000]", "[1, 2, 3]", "null", "2147483647" });
                sb.Append("{\"class_name\":\"ZeroPadding1D\",\"config\":{\"name\":\"fuzz_pad\",\"padding\":").Append(padding).Append("}}");
                log.Add("insert ZeroPadding1D(" + padding + ")");
                break;
            }
            case 4:
            {
                string cropping = Pick(rng, new[] { "1", "[0, 0]", "[2, 0]", "[0, 3]", "[100, 100]", "1000000", "-1", "[1, -1]", "null" });
                sb.Append("{\"class_name\":\"Cropping1D\",\"config\":{\"name\":\"fuzz_crop\",\"cropping\":").Append(cropping).Append("}}");
                log.Add("insert Cropping1D(" + cropping + ")");
                break;
            }
            default:
            {
                string size = Pick(rng, new[] { "2", "3", "0", "-1", "1000", "1000000", "2147483647", "[2]", "null" });
                sb.Append("{\"class_name\":\"UpSampling1D\",\"config\":{\"name\":\"fuzz_up\",\"size\":").Append(size).Append("}}");
                log.Add("insert UpSampling1D(" + size + ")");
                break;
            }
        }
        return JParser.Parse(sb.ToString());
    }

    private static void Tensor(StringBuilder sb, Random rng, int[] shape, int depth, bool nan)
    {
        sb.Append('[');
        for (int i = 0; i < shape[depth]; i++)
        {
            if (i > 0) sb.Append(',');
            if (depth + 1 < shape.Length) Tensor(sb, rng, shape, depth + 1, nan);
            else sb.Append(nan && rng.Next(4) == 0 ? "NaN" : ((float)(rng.NextDouble() - 0.5)).ToString("R", CultureInfo.InvariantCulture));
        }
        sb.Append(']');
    }

    /// <summary>
    /// A valid Sequential model whose sizes the fixtures do not reach: very long fixed sequences, wide inputs, wide
    /// Dense heads (products of these overflow an int), and the unroll and stack-buffer boundaries.
    /// </summary>
    private static JNode Synthetic(Random rng, List<string> log)
    {
        string steps = Pick(rng, new[] { "null", "1", "2", "7", "1024", "1025", "4096", "4097", "100000", "9999999", "10000000" });
        int features = Pick(rng, new[] { 1, 2, 3, 16, 215, 300, 1000 });
        int layers = 1 + rng.Next(3);
        var sb = new StringBuilder();
        sb.Append("{\"class_name\":\"Sequential\",\"keras_version\":\"").Append(rng.Next(2) == 0 ? "2.15.0" : "3.5.0").Append("\",\"config\":{\"layers\":[");
        int width = features;
        var shape = new List<string> { "steps " + steps, "features " + features };
        for (int l = 0; l < layers; l++)
        {
            int units = Pick(rng, new[] { 1, 2, 3, 5, 8 });
            bool sequences = l < layers - 1 || rng.Next(2) == 0;
            bool backwards = rng.Next(4) == 0;
            bool bias = rng.Next(5) != 0;
            if (l > 0) sb.Append(',');
            sb.Append("{\"class_name\":\"LSTM\",\"config\":{\"name\":\"lstm").Append(l).Append("\",\"units\":").Append(units);
            if (l == 0) sb.Append(",\"batch_input_shape\":[null,").Append(steps).Append(',').Append(features).Append(']');
            sb.Append(",\"return_sequences\":").Append(sequences ? "true" : "false").Append(",\"go_backwards\":").Append(backwards ? "true" : "false")
              .Append(",\"use_bias\":").Append(bias ? "true" : "false").Append("},\"weights\":[");
            Matrix(sb, rng, width, 4 * units);
            sb.Append(',');
            Matrix(sb, rng, units, 4 * units);
            if (bias) { sb.Append(','); Vector(sb, rng, 4 * units); }
            sb.Append("]}");
            shape.Add("LSTM(" + units + (sequences ? ", seq" : "") + (backwards ? ", back" : "") + ")");
            width = units;
            if (!sequences) break;
        }
        if (rng.Next(3) != 0)
        {
            int units = Pick(rng, new[] { 1, 4, 215, 300, 1000 });
            string activation = Pick(rng, new[] { "linear", "softmax", "relu", "sigmoid" });
            sb.Append(",{\"class_name\":\"Dense\",\"config\":{\"name\":\"head\",\"units\":").Append(units).Append(",\"activation\":\"").Append(activation).Append("\"},\"weights\":[");
            Matrix(sb, rng, width, units);
            sb.Append(',');
            Vector(sb, rng, units);
            sb.Append("]}");
            shape.Add("Dense(" + units + ", " + activation + ")");
        }
        sb.Append("]}}");
        log.Add("synthetic " + string.Join(" ", shape));
        return JParser.Parse(sb.ToString());
    }

    private static void Matrix(StringBuilder sb, Random rng, int rows, int columns)
    {
        sb.Append('[');
        for (int r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append(',');
            Vector(sb, rng, columns);
        }
        sb.Append(']');
    }

    private static void Vector(StringBuilder sb, Random rng, int length)
    {
        sb.Append('[');
        for (int i = 0; i < length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(((float)(rng.NextDouble() - 0.5)).ToString("R", CultureInfo.InvariantCulture));
        }
        sb.Append(']');
    }

    private static JArr Reshape(Random rng, JArr array, List<string> log, string where)
    {
        var copy = (JArr)array.Clone();
        switch (rng.Next(8))
        {
            case 0 when copy.Items.Count > 0:
                log.Add("remove an item of " + where);
                copy.Items.RemoveAt(rng.Next(copy.Items.Count));
                break;
            case 1 when copy.Items.Count > 0:
                log.Add("duplicate an item of " + where);
                copy.Items.Insert(rng.Next(copy.Items.Count), copy.Items[rng.Next(copy.Items.Count)].Clone());
                break;
            case 2:
                log.Add("append a number to " + where);
                copy.Items.Add(new JRaw("0.5"));
                break;
            case 3:
            {
                // Ragged: one nested row shorter or longer than the others.
                var rows = copy.Items.OfType<JArr>().ToList();
                if (rows.Count == 0) goto default;
                JArr row = rows[rng.Next(rows.Count)];
                if (row.Items.Count > 0 && rng.Next(2) == 0) row.Items.RemoveAt(row.Items.Count - 1);
                else row.Items.Add(row.Items.Count > 0 ? row.Items[0].Clone() : new JRaw("1"));
                log.Add("ragged row in " + where);
                break;
            }
            case 4:
                log.Add("wrap " + where + " in an array");
                return new JArr(new JNode[] { copy });
            case 5 when copy.Items.Count > 0 && copy.Items[0] is JArr inner:
                log.Add("unwrap " + where);
                return (JArr)inner.Clone();
            case 6:
            {
                // Transposed-looking: rows and columns swapped when rectangular.
                var rows = copy.Items.OfType<JArr>().ToList();
                if (rows.Count != copy.Items.Count || rows.Count == 0 || rows.Any(r => r.Items.Count != rows[0].Items.Count)) goto default;
                var t = new JArr();
                for (int c = 0; c < rows[0].Items.Count; c++) t.Items.Add(new JArr(rows.Select(r => r.Items[c].Clone())));
                log.Add("transpose " + where);
                return t;
            }
            default:
                log.Add("empty " + where);
                copy.Items.Clear();
                break;
        }
        return copy;
    }

    private static JNode RandomValue(Random rng) => rng.Next(14) switch
    {
        0 => new JRaw("null"),
        1 => new JRaw("true"),
        2 => new JRaw("false"),
        3 => new JRaw(Pick(rng, new[] { "0", "-1", "1", "1.5", "1e400", "2147483648" })),
        4 => new JStr(Pick(rng, HostileStrings)),
        5 => new JStr("tanh"),
        6 => new JArr(),
        7 => new JObj(),
        8 => JParser.Parse("[1,2]"),
        9 => JParser.Parse("{\"a\":1}"),
        10 => new JRaw("NaN"),
        11 => JParser.Parse("[[1],[2,3]]"),
        12 => JParser.Parse("[null,3,2]"),
        _ => new JStr("Sequential"),
    };

    private static string Where(Slot slot) => slot.Key is null ? "[" + slot.Index + "] (depth " + slot.Depth + ")" : "'" + slot.Key + "'";

    private static string Short(JNode node)
    {
        string text = node.ToString();
        return text.Length > 60 ? text[..60] + "..." : text;
    }

    // ---------------------------------------------------------------- text and bytes

    private static readonly byte[][] s_invalidUtf8 =
    {
        new byte[] { 0xFF }, new byte[] { 0xFE }, new byte[] { 0x80 }, new byte[] { 0xC0, 0x80 }, new byte[] { 0xC3 },
        new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF4, 0x90, 0x80, 0x80 }, new byte[] { 0xE2, 0x82 }, new byte[] { 0xF0, 0x9F, 0x98 },
        new byte[] { 0xE0, 0x80, 0xAF },
    };

    private byte[] MutateBytes(Random rng, byte[] input, List<string> log)
    {
        var bytes = new List<byte>(input);
        int count = 1 + (rng.Next(3) == 0 ? rng.Next(3) : 0);
        for (int n = 0; n < count; n++)
        {
            int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count + 1);
            switch (rng.Next(13))
            {
                case 0:
                    log.Add("truncate at " + at);
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1:
                {
                    int flips = 1 + rng.Next(8);
                    for (int i = 0; i < flips && bytes.Count > 0; i++)
                    {
                        int p = rng.Next(bytes.Count);
                        bytes[p] ^= (byte)(1 << rng.Next(8));
                    }
                    log.Add(flips + " bit flips");
                    break;
                }
                case 2:
                    log.Add("UTF-8 BOM");
                    bytes.InsertRange(0, new byte[] { 0xEF, 0xBB, 0xBF });
                    break;
                case 3:
                {
                    // Invalid UTF-8, half the time inside a string (a name).
                    if (rng.Next(2) == 0)
                    {
                        int quote = bytes.IndexOf((byte)'"', Math.Min(at, Math.Max(0, bytes.Count - 1)));
                        if (quote >= 0) at = quote + 1;
                    }
                    byte[] bad = Pick(rng, s_invalidUtf8);
                    log.Add("invalid UTF-8 " + Convert.ToHexString(bad) + " at " + at);
                    bytes.InsertRange(at, bad);
                    break;
                }
                case 4:
                    log.Add("empty file");
                    bytes.Clear();
                    break;
                case 5:
                {
                    Encoding encoding = rng.Next(2) == 0 ? new UnicodeEncoding(false, true) : new UnicodeEncoding(true, true);
                    log.Add("re-encoded as " + encoding.WebName + " with BOM");
                    string text = s_utf8.GetString(bytes.ToArray());
                    bytes = new List<byte>(encoding.GetPreamble().Concat(encoding.GetBytes(text)));
                    break;
                }
                case 6:
                {
                    int nuls = 1 + rng.Next(4);
                    log.Add(nuls + " NUL bytes at " + at);
                    bytes.InsertRange(at, new byte[nuls]);
                    break;
                }
                case 7:
                {
                    int len = Math.Min(bytes.Count - at, 1 + rng.Next(64));
                    log.Add("delete " + len + " bytes at " + at);
                    bytes.RemoveRange(at, len);
                    break;
                }
                case 8:
                {
                    int len = 1 + rng.Next(16);
                    var random = new byte[len];
                    rng.NextBytes(random);
                    log.Add("insert " + len + " random bytes at " + at);
                    bytes.InsertRange(at, random);
                    break;
                }
                case 9:
                {
                    int len = Math.Min(bytes.Count - at, 1 + rng.Next(256));
                    log.Add("duplicate " + len + " bytes at " + at);
                    bytes.InsertRange(at, bytes.GetRange(at, len));
                    break;
                }
                case 10:
                {
                    // Valid whitespace changes: CRLF line breaks and indentation after structural characters.
                    string ws = Pick(rng, new[] { "\r\n", "\n", "\t", "\r", "  \r\n  " });
                    var output = new List<byte>(bytes.Count * 2);
                    foreach (byte b in bytes)
                    {
                        output.Add(b);
                        if (b is (byte)',' or (byte)'[' or (byte)'{' && rng.Next(8) == 0) output.AddRange(Encoding.ASCII.GetBytes(ws));
                    }
                    log.Add("whitespace " + Convert.ToHexString(Encoding.ASCII.GetBytes(ws)) + " after separators (outside strings too)");
                    bytes = output;
                    break;
                }
                case 11:
                {
                    // Splice a piece of another fixture in.
                    var other = _seeds[rng.Next(_seeds.Length)].Bytes;
                    int from = rng.Next(other.Length), len = Math.Min(other.Length - from, 1 + rng.Next(512));
                    log.Add("splice " + len + " bytes of another fixture at " + at);
                    bytes.InsertRange(at, other.Skip(from).Take(len));
                    break;
                }
                default:
                {
                    int len = Math.Min(bytes.Count - at, 1 + rng.Next(8));
                    for (int i = 0; i < len; i++) bytes[at + i] = (byte)rng.Next(256);
                    log.Add("overwrite " + len + " bytes at " + at);
                    break;
                }
            }
        }
        return bytes.ToArray();
    }
}
