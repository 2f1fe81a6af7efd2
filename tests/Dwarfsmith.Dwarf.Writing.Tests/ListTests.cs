using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Range and location lists: base-relative encodings, base-address entries, tombstones.</summary>
public class ListTests
{
    private const ulong Tombstone = 0xFFFFFFFE;

    public static DwarfOutput Model(ushort version, bool addressIndex)
    {
        var output = new DwarfOutput();
        var unit = output.AddUnit(version, 4);
        unit.UseAddressIndex = addressIndex;
        var ranges = unit.AddRangeList(new RangeList()
            .Add(0x100, 0x120)
            .Add(0x130, 0x130) // empty, above the base
            .Add(0x40, 0x60)   // below the base: needs a base-address entry
            .Add(0x40, 0x40)   // empty at the current base: (0, 0) would end the list in .debug_ranges
            .Add(0x70, 0x80)
            .Add(0x100, 0x100)
            .Add(Tombstone, Tombstone) // wasm-ld's mark for dead code
            .Add(0x200, 0x210));
        unit.Root
            .Add(DwAt.DW_AT_name, AttributeValue.String("lists.c"))
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x100))
            .Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(ranges));
        var locations = unit.AddLocationList(new LocationList()
            .Add(0x100, 0x108, Models.Lit0Stack)
            .Add(0x20, 0x28, Models.Lit1Stack)
            .Add(Tombstone, Tombstone, Models.Lit1Stack)
            .Add(0x300, 0x400, Models.FbregMinus8));
        if (version >= 5)
            unit.LocationLists[0].AddDefault(Models.Lit0Stack);
        unit.Root.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_name, AttributeValue.String("v"))
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(locations));

        // A unit without low_pc: its lists start with a base-address entry.
        var bare = output.AddUnit(version, 4);
        bare.UseAddressIndex = addressIndex;
        var bareRanges = bare.AddRangeList(new RangeList().Add(0x500, 0x510).Add(0x520, 0x530).Add(0x600, 0x610).Add(0x10, 0x20).Add(0, 0));
        bare.Root.Add(DwAt.DW_AT_name, AttributeValue.String("bare.c"));
        bare.Root.AddChild(DwTag.DW_TAG_lexical_block).Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(bareRanges));
        return output;
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(5, false)]
    [InlineData(5, true)]
    public void Lists_resolve_to_the_built_ranges(int version, bool addressIndex)
    {
        var output = Model((ushort)version, addressIndex);
        string path = DwarfTool.EmitAndWrap(output, $"lists-v{version}-{addressIndex}", out _);
        ModelChecker.Check(output, path);

        if (version < 5)
        {
            string ranges = DwarfTool.Dump(path, "--debug-ranges");
            var lines = ranges.Split('\n').Where(l => l.StartsWith("0000", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
            // Unit 1: base 0x100; unit 2: no base.
            string[] expected =
            [
                "00000000 00000020", "00000030 00000030", "ffffffff 00000040", "00000000 00000020", "ffffffff 0000003f", "00000001 00000001",
                "00000031 00000041", "000000c1 000000c1", "ffffffff 00000000", "fffffffe fffffffe", "00000200 00000210", "<End of list>",
                "ffffffff 00000500", "00000000 00000010", "00000020 00000030", "00000100 00000110", "ffffffff 00000010", "00000000 00000010",
                "<End of list>",
            ];
            Assert.Equal(expected, lines.Select(l => string.Join(' ', l.Skip(1))));
        }
        else
        {
            string rnglists = DwarfTool.Dump(path, "-v", "--debug-rnglists");
            string baseKind = addressIndex ? "DW_RLE_base_addressx" : "DW_RLE_base_address";
            Assert.Equal(2, rnglists.Split('\n').Count(l => l.Contains(baseKind, StringComparison.Ordinal)));
            Assert.Contains("DW_RLE_start_end", rnglists, StringComparison.Ordinal);
            Assert.Contains(addressIndex ? "DW_RLE_startx_length" : "DW_RLE_start_length", rnglists, StringComparison.Ordinal);
            string loclists = DwarfTool.Dump(path, "-v", "--debug-loclists");
            Assert.Contains("DW_LLE_default_location", loclists, StringComparison.Ordinal);
            Assert.Contains("DW_LLE_offset_pair", loclists, StringComparison.Ordinal);
        }
    }
}
