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

    /// <summary>
    /// A tombstone of one address size as the same tombstone of another: a tombstone is a property of
    /// the format it is written in, so −1 stays −1 and −2 stays −2 (0xFFFFFFFF becomes
    /// 0xFFFFFFFFFFFFFFFF going from 4 to 8 bytes, and back), and 0 stays 0. Any other address is
    /// returned as it is.
    /// </summary>
    public static ulong Resize(ulong tombstone, int fromSize, int toSize)
    {
        ulong from = MaxAddress(fromSize), to = MaxAddress(toSize);
        return tombstone == from ? to : tombstone == from - 1 ? to - 1 : tombstone;
    }

    /// <summary>
    /// An address that lies <c>address − tombstone</c> bytes past a tombstone (a dead sequence's rows,
    /// a dead range's end), at the same distance past the resized tombstone, wrapping as the target
    /// size does.
    /// </summary>
    public static ulong ResizeFrom(ulong tombstone, ulong address, int fromSize, int toSize) =>
        (Resize(tombstone, fromSize, toSize) + ((address - tombstone) & MaxAddress(fromSize))) & MaxAddress(toSize);

    /// <summary>
    /// The mark an output writes for dead code, a property of its format: all-ones of the address size
    /// (.debug_info, .debug_addr, .debug_line, and DWARF 5's .debug_rnglists/.debug_loclists, where
    /// LLVM skips entries from it); in DWARF 2–4's .debug_ranges/.debug_loc
    /// (<paramref name="inLegacyList"/>), where all-ones begins a base-address selection, all-ones
    /// minus one (which LLVM skips there, as begin or as base; it does not skip all-ones as a base).
    /// </summary>
    public static ulong ForOutput(int addressSize, bool inLegacyList) => MaxAddress(addressSize) - (inLegacyList ? 1UL : 0UL);

    /// <summary>
    /// What an input's dead-code address becomes in an output attribute or expression: the linkers'
    /// −1 and −2 become the output's tombstone (<see cref="ForOutput"/>, all-ones of its address
    /// size); 0 stays 0, as it is a unit's base address as often as a mark.
    /// </summary>
    public static ulong InOutput(ulong inputTombstone, int outputAddressSize) =>
        inputTombstone == 0 ? 0 : ForOutput(outputAddressSize, inLegacyList: false);
}
