using Dwarfsmith.Debugging.Types;

namespace Dwarfsmith.Debugging.Values;

/// <summary>
/// An object of the program: its type and either its bytes (with the linear-memory address they
/// came from, when they did) or the reason they cannot be known.
/// </summary>
public sealed class SourceValue
{
    private SourceValue(CType? type, byte[]? bytes, ulong? address, string? unavailable, bool[]? unknown)
    {
        Type = type;
        Bytes = bytes;
        Address = address;
        Unavailable = unavailable;
        Unknown = unknown;
    }

    /// <summary>The type (null = void).</summary>
    public CType? Type { get; }

    public byte[]? Bytes { get; }

    /// <summary>The object's linear-memory address, when it lives in memory (an lvalue).</summary>
    public ulong? Address { get; }

    /// <summary>Why the value is unknown; null when <see cref="Bytes"/> holds it.</summary>
    public string? Unavailable { get; }

    /// <summary>
    /// For a value known only in part (a location in pieces), which of <see cref="Bytes"/> are
    /// unknown; null when every byte is known.
    /// </summary>
    public bool[]? Unknown { get; }

    public bool IsAvailable => Unavailable is null;

    public static SourceValue Known(CType? type, byte[] bytes, ulong? address = null, bool[]? unknown = null) => new(type, bytes, address, null, unknown);

    public static SourceValue NotAvailable(CType? type, string reason, ulong? address = null) => new(type, null, address, reason, null);
}
