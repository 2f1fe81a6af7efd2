namespace Dwarfsmith.Wasm;

/// <summary>An import; exactly one of the descriptor properties applies, by <see cref="Kind"/>.</summary>
public sealed record Import(string Module, string Name, ExternalKind Kind, uint TypeIndex = 0,
    TableType Table = default, MemoryType Memory = default, GlobalType Global = default, TagType Tag = default);

public sealed record Export(string Name, ExternalKind Kind, uint Index);

public sealed record Global(GlobalType Type, ConstantExpression Init);

public enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

/// <summary>
/// An element segment. Items are either function indices (flags 0–3) or expressions (flags 4–7);
/// <see cref="Flags"/> is kept so the segment re-encodes in its original form.
/// </summary>
public sealed class ElementSegment
{
    public required uint Flags { get; init; }

    public required SegmentMode Mode { get; init; }

    public uint TableIndex { get; init; }

    public ConstantExpression? Offset { get; init; }

    public required ValueType ElementType { get; init; }

    /// <summary>Function indices when the segment uses the index form, else null.</summary>
    public uint[]? FunctionIndices { get; init; }

    /// <summary>Item expressions when the segment uses the expression form, else null.</summary>
    public ConstantExpression[]? Expressions { get; init; }

    public int Count => FunctionIndices?.Length ?? Expressions!.Length;

    /// <summary>Whether flags use expressions for items (bit 2).</summary>
    public bool UsesExpressions => (Flags & 4) != 0;
}

public sealed class DataSegment
{
    public required uint Flags { get; init; }

    public required SegmentMode Mode { get; init; }

    public uint MemoryIndex { get; init; }

    public ConstantExpression? Offset { get; init; }

    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>File offset of the first data byte.</summary>
    public required long DataOffset { get; init; }
}

/// <summary>A run of locals of one type, as declared at the start of a function body.</summary>
public readonly record struct LocalDeclaration(uint Count, ValueType Type);
