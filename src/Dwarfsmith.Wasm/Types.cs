namespace Dwarfsmith.Wasm;

/// <summary>A function signature: parameter and result types.</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    public FunctionType(ValueType[] parameters, ValueType[] results)
    {
        Parameters = parameters;
        Results = results;
    }

    public ValueType[] Parameters { get; }

    public ValueType[] Results { get; }

    public bool Equals(FunctionType? other) =>
        other is not null && Parameters.AsSpan().SequenceEqual(other.Parameters) && Results.AsSpan().SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Parameters)
            hash.Add(p);
        hash.Add(0xFF);
        foreach (var r in Results)
            hash.Add(r);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"({string.Join(", ", Parameters.Select(p => p.Name()))}) -> ({string.Join(", ", Results.Select(r => r.Name()))})";
}

/// <summary>Limits of a memory or table; 64-bit (memory64) and shared flags are carried along.</summary>
public readonly record struct Limits(ulong Minimum, ulong? Maximum, bool Shared = false, bool Is64 = false)
{
    /// <summary>The flags byte as encoded.</summary>
    public byte Flags => (byte)((Maximum.HasValue ? 1 : 0) | (Shared ? 2 : 0) | (Is64 ? 4 : 0));
}

public readonly record struct TableType(ValueType ElementType, Limits Limits);

public readonly record struct MemoryType(Limits Limits);

public readonly record struct GlobalType(ValueType ValueType, bool Mutable);

/// <summary>Exception-handling tag: attribute 0 (exception) and a function type index.</summary>
public readonly record struct TagType(byte Attribute, uint TypeIndex);

public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    Tag = 4,
}
