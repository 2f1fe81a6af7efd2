using Dwarfsmith.Debugging.Locations;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Values;

/// <summary>Reads an object's bytes from where its <see cref="Location"/> says it is.</summary>
public static class ValueReader
{
    /// <summary>wasm32: addresses are 32 bits; DWARF arithmetic may have carried past them.</summary>
    public const ulong AddressMask = 0xFFFFFFFF;

    public static SourceValue Read(Location location, CType? type, CoreMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(location);
        var size = (int)Math.Min(type?.ByteSize ?? 0, 1 << 24);
        if (location.UnavailableReason is { } reason)
            return SourceValue.NotAvailable(type, reason);
        if (location.IsSingleMemory(out var address))
            return FromMemory(type, address & AddressMask, memory);
        var bytes = new byte[size];
        ulong at = 0;
        foreach (var piece in location.Pieces)
        {
            var length = (int)Math.Min(piece.Size ?? (ulong)size, (ulong)size - Math.Min(at, (ulong)size));
            var slice = bytes.AsSpan((int)Math.Min(at, (ulong)size), length);
            if (piece.Kind == LocationKind.Memory)
            {
                if (memory is null || !memory.TryRead(piece.Address & AddressMask, slice))
                    return SourceValue.NotAvailable(type, $"cannot access memory at 0x{piece.Address & AddressMask:x}");
            }
            else
            {
                piece.Value.AsSpan(0, Math.Min(piece.Value.Length, length)).CopyTo(slice);
            }

            at += piece.Size ?? (ulong)size;
        }

        return SourceValue.Known(type, bytes);
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
