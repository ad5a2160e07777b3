using System.Collections.Generic;
using PureHDF;

namespace LstmGen.Import.Keras;

/// <summary>
/// Keras 2's HDF5 weights (the model_weights group of model.save, or the root of save_weights; Keras 3's legacy
/// .h5 too): attribute layer_names lists the layers, each layer group's weight_names its get_weights() order,
/// and each weight is the dataset at "layer/weight_name".
/// </summary>
internal static class Keras2Weights
{
    public static List<NamedWeight> Read(IH5Group weightsRoot, string rootName)
    {
        string[] layers = Hdf5Values.ReadNames(weightsRoot, "layer_names")
            ?? throw new ImportException("'" + rootName + "' has no layer_names attribute", where: rootName,
                help: "the file is not a Keras weights file; save it with model.save(\"m.h5\") or model.save_weights(\"w.h5\")");
        var weights = new List<NamedWeight>();
        foreach (string layer in layers)
        {
            string layerWhere = rootName + "/" + layer;
            if (!weightsRoot.LinkExists(layer))
            {
                throw new ImportException("layer '" + layer + "' is listed in layer_names but has no group", where: layerWhere,
                    help: "the file is damaged or incomplete; save the model again");
            }
            IH5Group group = weightsRoot.Group(layer);
            foreach (string name in Hdf5Values.ReadNames(group, "weight_names") ?? System.Array.Empty<string>())
            {
                string where = layerWhere + "/" + name;
                if (!group.LinkExists(name))
                {
                    throw new ImportException("weight '" + name + "' of layer '" + layer + "' is listed in weight_names but missing", where: where,
                        help: "the file is damaged or incomplete; save the model again");
                }
                (int[] shape, float[] data) = Hdf5Values.ReadTensor(group.Dataset(name), where);
                weights.Add(new NamedWeight(layer, name, shape, data));
            }
        }
        return weights;
    }
}
