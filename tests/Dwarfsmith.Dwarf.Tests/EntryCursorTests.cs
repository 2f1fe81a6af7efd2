using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

public class EntryCursorTests
{
    [Theory]
    [InlineData(Producer.Wasm, 4)]
    [InlineData(Producer.HostGcc, 5)]
    [InlineData(Producer.HostClang, 5)]
    public void SkipChildren_visits_the_same_siblings_as_a_full_walk(Producer producer, int dwarfVersion)
    {
        var context = new DwarfContext(DwarfInputs.Load(DwarfInputs.Build("structs", producer, OptLevel.O0, dwarfVersion)));
        foreach (var unit in context.Units)
        {
            var expected = new List<(long, DwTag)>();
            var all = unit.Entries();
            while (all.MoveNext())
            {
                if (all.Depth == 1 && !all.IsNull)
                    expected.Add((all.Offset, all.Tag));
            }

            var actual = new List<(long, DwTag)>();
            var cursor = unit.Entries();
            Assert.True(cursor.MoveNext());
            while (cursor.MoveNext() && !(cursor.IsNull && cursor.Depth == 1))
            {
                Assert.Equal(1, cursor.Depth);
                actual.Add((cursor.Offset, cursor.Tag));
                cursor.SkipChildren();
            }

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void EntriesAt_reads_a_referenced_entry_and_pc_ranges_follow_high_pc_as_offset()
    {
        var context = new DwarfContext(DwarfInputs.Load(DwarfInputs.Build("structs", Producer.Wasm, OptLevel.O0, 5)));
        var unit = context.Units.First(u => u.Version == 5);
        var cursor = unit.Entries();
        var checkedReferences = 0;
        var functions = 0;
        while (cursor.MoveNext())
        {
            if (cursor.Tag == DwTag.DW_TAG_subprogram && cursor.TryGetPcRange(out var low, out var high))
            {
                functions++;
                Assert.True(high > low);
                Assert.True(cursor.TryGetAttribute(DwAt.DW_AT_high_pc, out var h) && h.IsConstant);
                Assert.Equal(low + h.Value, high);
            }

            if (cursor.TryGetAttribute(DwAt.DW_AT_type, out var type) && unit.TryResolveReference(type, out var target))
            {
                var referenced = unit.EntriesAt(target);
                Assert.True(referenced.MoveNext());
                Assert.Equal(target, referenced.Offset);
                Assert.False(referenced.IsNull);
                checkedReferences++;
            }
        }

        Assert.Equal(3, functions); // rect_area, midpoint, main
        Assert.True(checkedReferences > 10);
        Assert.Equal("structs.c", Path.GetFileName(unit.Name));
        Assert.NotNull(unit.ReadLineProgram());
    }
}
