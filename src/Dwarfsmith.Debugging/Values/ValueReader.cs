using Dwarfsmith.Debugging.Locations;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Values;

/// <summary>Reads an object's bytes from where its <see cref="Location"/> says it is.</summary>
public static class ValueReader
{
    /// <summary>wasm32: addresses are 32 bits; DWARF arithmetic may have carried past them.</summary>
    public const ulong AddressMask = 0xFFFFFFFF;

    /// <summary>
    /// The object's bytes. A location in pieces may leave parts unknown (an empty piece, a piece
    /// whose source is missing, bytes past the last piece): those bytes are marked
    /// (<see cref="SourceValue.Unknown"/>) and print as <c>&lt;optimized out&gt;</c>, as gdb prints them;
    /// when no byte is known the whole value is unavailable with the first reason.
    /// </summary>
    public static SourceValue Read(Location location, CType? type, CoreMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(location);
        var size = (int)Math.Min(type?.ByteSize ?? 0, 1 << 24);
        if (location.Pieces.Count == 1 && location.Pieces[0].Size is null)
        {
            if (location.UnavailableReason is { } reason)
                return SourceValue.NotAvailable(type, reason);
            if (location.IsSingleMemory(out var address))
                return FromMemory(type, address & AddressMask, memory);
        }

        var bytes = new byte[size];
        var unknown = new bool[size];
        Array.Fill(unknown, true);
        string? firstReason = null;
        ulong at = 0;
        foreach (var piece in location.Pieces)
        {
            var start = (int)Math.Min(at, (ulong)size);
            var length = (int)Math.Min(piece.Size ?? (ulong)size, (ulong)(size - start));
            var slice = bytes.AsSpan(start, length);
            string? reason = piece.Kind switch
            {
                LocationKind.Memory when memory is null || !memory.TryRead(piece.Address & AddressMask, slice) => $"cannot access memory at 0x{piece.Address & AddressMask:x}",
                LocationKind.Unavailable => piece.Reason,
                _ => null,
            };
            if (piece.Kind == LocationKind.Value)
                piece.Value.AsSpan(0, Math.Min(piece.Value.Length, length)).CopyTo(slice);
            if (reason is null)
                unknown.AsSpan(start, length).Clear();
            else
                firstReason ??= reason;
            at += piece.Size ?? (ulong)size;
        }

        if (Array.IndexOf(unknown, false) < 0 && size > 0)
            return SourceValue.NotAvailable(type, firstReason ?? "optimized out (no piece of it has a location)");
        return SourceValue.Known(type, bytes, unknown: Array.IndexOf(unknown, true) < 0 ? null : unknown);
    }

    /// <summary>An object of <paramref name="type"/> at a linear-memory address.</summary>
    public static SourceValue FromMemory(CType? type, ulong address, CoreMemory? memory)
    {
        var size = type?.ByteSize ?? 0;
        if (memory is null)
            return SourceValue.NotAvailable(type, "the dump holds no memory", address);
        if (size > 1 << 24)
            return SourceValue.NotAvailable(type, $"an object of {size} bytes is too large to read", address);
        var bytes = new byte[size];
        return memory.TryRead(address, bytes)
            ? SourceValue.Known(type, bytes, address)
            : SourceValue.NotAvailable(type, $"cannot access memory at 0x{address:x}", address);
    }
}
