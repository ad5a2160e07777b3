using System;
using System.Collections.Generic;
using System.Linq;
using PureHDF;

namespace LstmGen.Import.Keras;

/// <summary>
/// The HDF5 values Keras writes: string attributes in every spelling h5py produces (variable- or fixed-length,
/// scalar or array, the empty float64 array Keras writes for "no names", Keras 2's chunked name0/name1...), and
/// float datasets widened or narrowed to float32.
/// </summary>
internal static class Hdf5Values
{
    /// <summary>The attribute as text, or null when absent.</summary>
    public static string? ReadText(IH5Object owner, string name)
    {
        if (!owner.AttributeExists(name)) return null;
        string[] values = ReadStrings(owner.Attribute(name), owner.Name + "@" + name);
        return values.Length == 1 ? values[0]
            : throw new ImportException("attribute '" + name + "' of '" + owner.Name + "' holds " + values.Length + " strings, not one",
                where: owner.Name + "@" + name, help: "the file was not written by Keras; save the model again");
    }

    /// <summary>A list of names; Keras 2 splits long lists into name0, name1, ... (load_attributes_from_hdf5_group).</summary>
    public static string[]? ReadNames(IH5Object owner, string name)
    {
        if (owner.AttributeExists(name)) return ReadStrings(owner.Attribute(name), owner.Name + "@" + name);
        if (!owner.AttributeExists(name + "0")) return null;
        var names = new List<string>();
        for (int chunk = 0; owner.AttributeExists(name + chunk); chunk++)
        {
            names.AddRange(ReadStrings(owner.Attribute(name + chunk), owner.Name + "@" + name + chunk));
        }
        return names.ToArray();
    }

    private static string[] ReadStrings(IH5Attribute attribute, string where)
    {
        bool scalar = attribute.Space.Type == H5DataspaceType.Scalar;
        ulong count = scalar ? 1 : attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b);
        if (attribute.Space.Type == H5DataspaceType.Null || count == 0) return Array.Empty<string>();
        H5DataTypeClass type = attribute.Type.Class;
        // h5py writes str as variable-length strings (class VariableLength) and numpy bytes as fixed-length (class String).
        bool text = type is H5DataTypeClass.String or H5DataTypeClass.VariableLength;
        if (!text)
        {
            throw new ImportException("attribute '" + attribute.Name + "' holds " + count + " values of type " + type + ", not text",
                where: where, help: "the file was not written by Keras; save the model again");
        }
        string[] values = scalar ? new[] { attribute.Read<string>() } : attribute.Read<string[]>();
        // Fixed-length numpy bytes (dtype S15) are padded with NULs.
        return values.Select(v => (v ?? "").TrimEnd('\0')).ToArray();
    }

    /// <summary>A float dataset as float32 in row-major order with its shape.</summary>
    public static (int[] Shape, float[] Data) ReadTensor(IH5Dataset dataset, string where)
    {
        int[] shape = Shape(dataset, where, out int count);
        IH5DataType type = dataset.Type;
        if (type.Class != H5DataTypeClass.FloatingPoint || type.Size is not (2 or 4 or 8))
        {
            throw new ImportException("dataset '" + where + "' holds " + type.Class + " values of " + type.Size + " bytes; weights must be float16, float32 or float64",
                where: where, help: "save the model with float weights");
        }
        float[] data = type.Size switch
        {
            4 => dataset.Read<float[]>(),
            2 => Array.ConvertAll(dataset.Read<Half[]>(), h => (float)h),
            _ => Narrow(dataset.Read<double[]>(), where),
        };
        if (data.Length != count)
        {
            throw new ImportException("dataset '" + where + "' has shape [" + string.Join(", ", shape) + "] but holds " + data.Length + " values",
                where: where, help: "the file is damaged; save the model again");
        }
        return (shape, data);
    }

    private static int[] Shape(IH5Dataset dataset, string where, out int count)
    {
        if (dataset.Space.Type == H5DataspaceType.Scalar)
        {
            count = 1;
            return Array.Empty<int>();
        }
        ulong[] dims = dataset.Space.Dimensions;
        var shape = new int[dims.Length];
        ulong total = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            total = dims[i] > (ulong)Array.MaxLength ? ulong.MaxValue : total * dims[i];
            if (total > (ulong)Array.MaxLength)
            {
                throw new ImportException("dataset '" + where + "' with shape [" + string.Join(", ", dims) + "] has more values than one array can hold",
                    where: where, help: "LstmGen compiles weights into the assembly; a weight this large is out of its reach");
            }
            shape[i] = (int)dims[i];
        }
        count = (int)total;
        return shape;
    }

    /// <summary>float64 weights narrow to float32 when every finite value stays finite.</summary>
    private static float[] Narrow(double[] values, string where)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float value = (float)values[i];
            if (float.IsInfinity(value) && double.IsFinite(values[i]))
            {
                throw new ImportException("dataset '" + where + "' holds " + values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                    + ", beyond the float32 range LstmGen computes in", where: where, help: "rescale the weights or train in float32");
            }
            result[i] = value;
        }
        return result;
    }
}
