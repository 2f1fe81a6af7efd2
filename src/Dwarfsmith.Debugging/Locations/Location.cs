namespace Dwarfsmith.Debugging.Locations;

public enum LocationKind
{
    /// <summary>The object is in linear memory at <see cref="LocationPiece.Address"/>.</summary>
    Memory,
    /// <summary>The object's value is known (a stack value, a wasm local, an implicit value), not its address.</summary>
    Value,
    /// <summary>The object (or this piece of it) cannot be found; <see cref="LocationPiece.Reason"/> says why.</summary>
    Unavailable,
}

/// <summary>One piece of an object's location; <see cref="Size"/> is null for a location without pieces.</summary>
public sealed record LocationPiece(LocationKind Kind, ulong Address, byte[] Value, ulong? Size, string? Reason);

/// <summary>Where an object is: the result of evaluating its DWARF location in a frame.</summary>
public sealed class Location
{
    private Location(IReadOnlyList<LocationPiece> pieces) => Pieces = pieces;

    public IReadOnlyList<LocationPiece> Pieces { get; }

    public static Location Unavailable(string reason) => new([new LocationPiece(LocationKind.Unavailable, 0, [], null, reason)]);

    public static Location InMemory(ulong address) => new([new LocationPiece(LocationKind.Memory, address, [], null, null)]);

    public static Location OfValue(byte[] value) => new([new LocationPiece(LocationKind.Value, 0, value, null, null)]);

    public static Location OfPieces(IReadOnlyList<LocationPiece> pieces) => new(pieces);

    /// <summary>The first reason a piece is unavailable, or null when every piece can be read.</summary>
    public string? UnavailableReason => Pieces.FirstOrDefault(p => p.Kind == LocationKind.Unavailable)?.Reason;

    /// <summary>A location that is one memory address (what <c>&amp;</c> and frame bases need).</summary>
    public bool IsSingleMemory(out ulong address)
    {
        address = Pieces.Count == 1 && Pieces[0] is { Kind: LocationKind.Memory, Size: null } p ? p.Address : 0;
        return Pieces.Count == 1 && Pieces[0].Kind == LocationKind.Memory && Pieces[0].Size is null;
    }
}
