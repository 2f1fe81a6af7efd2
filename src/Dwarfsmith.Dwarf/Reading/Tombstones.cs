namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// Addresses linkers write for dead code: wasm-ld and lld write -1 (0xFFFFFFFF for wasm32) in
/// .debug_info and .debug_line, and -2 in .debug_ranges/.debug_loc where -1 means "base address
/// selection"; other linkers write 0 (when 0 cannot be code: <see cref="DwarfSections.ZeroIsTombstone"/>).
/// </summary>
public static class Tombstones
{
    /// <summary>All-ones of the address size.</summary>
    public static ulong MaxAddress(int addressSize) => addressSize >= 8 ? ulong.MaxValue : (1UL << (addressSize * 8)) - 1;

    /// <summary>True for -1 and -2 of the address size, and 0 when <paramref name="zeroIsTombstone"/>.</summary>
    public static bool IsTombstone(ulong address, int addressSize, bool zeroIsTombstone)
    {
        var max = MaxAddress(addressSize);
        return address == max || address == max - 1 || (zeroIsTombstone && address == 0);
    }
}
