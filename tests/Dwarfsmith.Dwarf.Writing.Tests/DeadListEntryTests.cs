using Dwarfsmith.Dwarf.Reading;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>
/// Dead list entries (<see cref="AddressRange.IsDead"/>) are written with the output's own tombstone
/// (issue 16): −2 of the address size in .debug_ranges/.debug_loc, where −1 begins a base-address
/// selection and LLVM does not take it as dead, −1 in DWARF 5 lists; for 4- and 8-byte addresses alike.
/// Read back by this library's reader, whose tombstones are both.
/// </summary>
public class DeadListEntryTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 4)]
    [InlineData(5, 8)]
    public void Dead_entries_are_written_with_the_tombstone_of_the_output_format(int version, int addressSize)
    {
        var output = new DwarfOutput();
        var unit = output.AddUnit((ushort)version, (byte)addressSize);
        var rangeList = new RangeList().Add(0x1000, 0x1010);
        rangeList.Ranges.Add(new AddressRange(0x10, 0x20) { IsDead = true });
        rangeList.Ranges.Add(new AddressRange(0, 0) { IsDead = true }); // (0, 0) would end a .debug_ranges list
        rangeList.Add(0x1020, 0x1030);
        var ranges = unit.AddRangeList(rangeList);
        unit.Root
            .Add(DwAt.DW_AT_name, AttributeValue.String("dead.c"))
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x1000))
            .Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(ranges));
        var locations = new LocationList().Add(0x1000, 0x1008, Models.Lit0Stack);
        locations.Entries.Add(new LocationListEntry(0x4, 0x8, Models.Lit1Stack) { IsDead = true });
        unit.Root.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_name, AttributeValue.String("v"))
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(unit.AddLocationList(locations)));

        var context = new DwarfContext(new DwarfSections(addressSize, output.Emit().Select(s => new DwarfSection(s.Key, s.Value, 0))));
        var input = context.Units[0];
        var entries = input.Entries();
        Assert.True(entries.MoveNext());
        Assert.True(entries.TryGetAttribute(DwAt.DW_AT_ranges, out var rangesAttribute));
        var readRanges = input.ReadRangeList(rangesAttribute).ReadAll();
        Assert.True(entries.MoveNext());
        Assert.True(entries.TryGetAttribute(DwAt.DW_AT_location, out var locationAttribute));
        var readLocations = input.ReadLocationList(locationAttribute).ReadAll();

        ulong tombstone = Tombstones.ForOutput(addressSize, inLegacyList: version < 5);
        Assert.Equal(version < 5 ? Tombstones.MaxAddress(addressSize) - 1 : Tombstones.MaxAddress(addressSize), tombstone);
        Assert.Equal([(0x1000UL, 0x1010UL), (0x1020UL, 0x1030UL)], readRanges.Where(e => e.HasRange && !e.IsTombstone).Select(e => (e.Begin, e.End)));
        Assert.Equal(2, readRanges.Count(e => e.HasRange && e.IsTombstone));
        Assert.Equal([(0x1000UL, 0x1008UL)], readLocations.Where(e => e.HasRange && !e.IsTombstone).Select(e => (e.Begin, e.End)));
        Assert.Single(readLocations, e => e.HasRange && e.IsTombstone && e.Expression.Span.SequenceEqual(Models.Lit1Stack));

        // Every base the lists select for dead code is the format's tombstone, never −1 in .debug_ranges/.debug_loc.
        var deadBases = readRanges.Where(e => e.Kind == DwRle.DW_RLE_base_address && e.IsTombstone).Select(e => e.Operand1)
            .Concat(readLocations.Where(e => e.Kind == DwLle.DW_LLE_base_address && e.IsTombstone).Select(e => e.Operand1)).ToList();
        Assert.NotEmpty(deadBases);
        Assert.All(deadBases, b => Assert.Equal(tombstone, b));
    }
}
