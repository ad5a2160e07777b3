using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PureHDF;

namespace LstmGen.Import.Keras;

/// <summary>
/// Keras 3's weights file (model.weights.h5 in a .keras archive, or save_weights("x.weights.h5")): saving_lib
/// writes each layer's own variables at "layers/&lt;key&gt;/vars/&lt;i&gt;" and those of the objects it holds under the
/// attribute's name: a recurrent layer's "cell", a Bidirectional's "forward_layer" and "backward_layer" (its
/// "layer" is an unbuilt template), TimeDistributed's "layer". The order here is get_weights() order.
/// </summary>
internal static class Keras3Weights
{
    /// <summary>Sub-objects that hold weights, in get_weights() order; "layer" only where there is no forward_layer.</summary>
    private static readonly string[] s_parts = { "cell", "layer", "forward_layer", "backward_layer" };

    public static List<NamedWeight> Read(IH5Group root, List<string> warnings)
    {
        var weights = new List<NamedWeight>();
        if (!root.LinkExists("layers")) return weights;
        IH5Group layers = root.Group("layers");
        foreach (string key in Children(layers).OfType<IH5Group>().Select(g => g.Name).OrderBy(n => n, StringComparer.Ordinal))
        {
            ReadObject(layers.Group(key), key, "layers/" + key, "", weights, warnings);
        }
        return weights;
    }

    private static void ReadObject(IH5Group group, string layer, string path, string prefix, List<NamedWeight> weights, List<string> warnings)
    {
        if (group.LinkExists("vars")) ReadVars(group.Group("vars"), layer, path + "/vars", prefix + "vars/", weights);
        bool bidirectional = group.LinkExists("forward_layer");
        foreach (string part in s_parts)
        {
            if (part == "layer" && bidirectional) continue;
            if (group.LinkExists(part)) ReadObject(group.Group(part), layer, path + "/" + part, prefix + part + "/", weights, warnings);
        }
        foreach (IH5Object child in Children(group))
        {
            if (child.Name == "vars" || s_parts.Contains(child.Name)) continue;
            if (child is IH5Dataset || (child is IH5Group sub && HoldsData(sub)))
            {
                warnings.Add("'" + path + "/" + child.Name + "' holds weights LstmGen does not know where to attach; they were left out");
            }
        }
    }

    private static void ReadVars(IH5Group vars, string layer, string path, string prefix, List<NamedWeight> weights)
    {
        var indexed = new List<(int Index, IH5Dataset Dataset)>();
        foreach (IH5Object child in Children(vars))
        {
            if (child is not IH5Dataset dataset || !int.TryParse(child.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw new ImportException("'" + path + "/" + child.Name + "' is not a numbered weight", where: path + "/" + child.Name,
                    help: "the file was not written by Keras 3; save the model again with model.save(\"m.keras\")");
            }
            indexed.Add((index, dataset));
        }
        foreach ((int index, IH5Dataset dataset) in indexed.OrderBy(v => v.Index))
        {
            string where = path + "/" + dataset.Name;
            (int[] shape, float[] data) = Hdf5Values.ReadTensor(dataset, where);
            weights.Add(new NamedWeight(layer, prefix + index.ToString(CultureInfo.InvariantCulture), shape, data));
        }
    }

    private static bool HoldsData(IH5Group group)
        => Children(group).Any(c => c is IH5Dataset || (c is IH5Group g && HoldsData(g)));

    private static IEnumerable<IH5Object> Children(IH5Group group) => group.Children();
}
