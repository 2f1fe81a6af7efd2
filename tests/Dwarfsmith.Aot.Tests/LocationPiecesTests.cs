using Dwarfsmith.Aot.NativeDwarf;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <see cref="LocationPieces"/>: native code cut where the C variables a wasm expression reads move,
/// each piece with every variable's place there, and no piece where one of them is nowhere.
/// </summary>
public sealed class LocationPiecesTests
{
    private static readonly NativePlace InRbx = new([0x53], Register: 3, IsValue: false);
    private static readonly NativePlace OnStack = new([0x77, 0x08], Register: null, IsValue: false);
    private static readonly NativePlace Zero = new([0x30, 0x9f], Register: null, IsValue: true);

    [Fact]
    public void A_list_cuts_the_code_at_its_entries_and_leaves_out_its_gaps()
    {
        var pieces = Split(0x100, 0x200, new()
        {
            [0] = new NativeLocation(null, [new(0x80, 0x120, Zero), new(0x120, 0x180, InRbx), new(0x1a0, 0x300, OnStack)], 4),
        });

        Assert.Equal(["[0x100, 0x120) l0=Zero", "[0x120, 0x180) l0=InRbx", "[0x1a0, 0x200) l0=OnStack"], pieces);
    }

    [Fact]
    public void Two_lists_cut_the_code_at_both_and_a_whole_place_is_everywhere()
    {
        var pieces = Split(0x100, 0x200, new()
        {
            [0] = new NativeLocation(null, [new(0x100, 0x150, InRbx), new(0x150, 0x200, OnStack)], 4),
            [1] = new NativeLocation(null, [new(0x100, 0x180, Zero)], 8),
            [2] = new NativeLocation(OnStack, [], 4),
        });

        Assert.Equal(
            ["[0x100, 0x150) l0=InRbx l1=Zero l2=OnStack", "[0x150, 0x180) l0=OnStack l1=Zero l2=OnStack"],
            pieces);
    }

    [Fact]
    public void A_local_that_is_nowhere_leaves_no_piece()
    {
        var pieces = Split(0x100, 0x200, new()
        {
            [0] = new NativeLocation(null, [new(0x100, 0x200, InRbx)], 4),
            [1] = null,
        });

        Assert.Empty(pieces);
    }

    private static List<string> Split(ulong begin, ulong end, Dictionary<uint, NativeLocation?> locals)
    {
        var pieces = new List<LocationPiece>();
        LocationPieces.Split(begin, end, locals, pieces);
        return [.. pieces.Select(p => $"[0x{p.Begin:x}, 0x{p.End:x}) " + string.Join(' ', p.Locals.OrderBy(l => l.Key).Select(l => $"l{l.Key}={Name(l.Value.Place)}")))];
    }

    private static string Name(NativePlace place) => place == InRbx ? "InRbx" : place == OnStack ? "OnStack" : place == Zero ? "Zero" : "?";
}
