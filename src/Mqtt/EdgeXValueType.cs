using System.Diagnostics.CodeAnalysis;

namespace Edge.Actors.Mqtt;

internal enum Scalar { None, Bool, String, Uint8, Uint16, Uint32, Uint64, Int8, Int16, Int32, Int64, Float32, Float64 }

internal enum ValueShape { Scalar, Array, Binary, Object, ObjectArray }

/// <summary>One EdgeX value type: its canonical name, where its value lives and what each element must parse as.</summary>
internal sealed record EdgeXValueType(string Name, ValueShape Shape, Scalar Scalar)
{
    // EdgeX normalises value type names case-insensitively (NormalizeValueType); so does the bridge, keeping the canonical spelling.
    private static readonly Dictionary<string, EdgeXValueType> ByName = Build();

    public static bool TryFind(string name, [NotNullWhen(true)] out EdgeXValueType? type) => ByName.TryGetValue(name, out type);

    private static Dictionary<string, EdgeXValueType> Build()
    {
        var types = new Dictionary<string, EdgeXValueType>(StringComparer.OrdinalIgnoreCase);
        foreach (var scalar in Enum.GetValues<Scalar>().Where(s => s != Scalar.None))
        {
            var name = scalar.ToString();
            types[name] = new EdgeXValueType(name, ValueShape.Scalar, scalar);
            types[name + "Array"] = new EdgeXValueType(name + "Array", ValueShape.Array, scalar);
        }
        types["Binary"] = new EdgeXValueType("Binary", ValueShape.Binary, Scalar.None);
        types["Object"] = new EdgeXValueType("Object", ValueShape.Object, Scalar.None);
        types["ObjectArray"] = new EdgeXValueType("ObjectArray", ValueShape.ObjectArray, Scalar.None);
        return types;
    }
}
