using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Visitors that change the encoding but not the meaning, and visitors that change the meaning.</summary>
public class VisitorTests
{
    public static TheoryData<string, OptLevel, int> Variants => new()
    {
        { "structs", OptLevel.O0, 4 }, { "structs", OptLevel.O2, 5 }, { "inline", OptLevel.O2, 4 },
        { "inline", OptLevel.O2, 5 }, { "pointers", OptLevel.O2, 5 }, { "loops", OptLevel.O2, 4 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Splitting_every_range_in_two_verifies_and_covers_the_same_addresses(string program, OptLevel opt, int version)
    {
        var input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var output = Rewriting.Rewrite(input, new SplitRangesVisitor(), $"split-{program}-{opt}-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Assert.Equal(CoveredAddresses(input), CoveredAddresses(output));
        Assert.Equal(Rewriting.NormalizedDumps(input).Line, Rewriting.NormalizedDumps(output).Line);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Duplicating_every_location_entry_verifies_and_locates_the_same(string program, OptLevel opt, int version)
    {
        var input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var output = Rewriting.Rewrite(input, new DuplicateLocationsVisitor(), $"duplicate-{program}-{opt}-v{version}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Assert.Equal(Locations(input), Locations(output));
    }

    [Fact]
    public void Sequences_a_visitor_leaves_open_are_closed_at_their_mapped_end()
    {
        var input = Corpus.Get("loops").BuildWasm(OptLevel.O2, 5).Path;
        var output = Rewriting.Rewrite(input, new OpenSequencesVisitor(), "open-sequences");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Rewriting.AssertSameText(Rewriting.NormalizedDumps(input).Line, Rewriting.NormalizedDumps(output).Line, "line tables");
    }

    [Fact]
    public void A_line_header_changed_after_its_rows_were_encoded_is_refused()
    {
        var module = WasmModule.ReadFile(Corpus.Get("loops").BuildWasm(OptLevel.O2, 4).Path);
        var error = Assert.Throws<InvalidOperationException>(() => WasmDwarfRewriter.Rewrite(module, new LateLineHeaderVisitor()));
        Assert.Contains("header parameters changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_normalizer_catches_a_changed_constant()
    {
        var input = Corpus.Get("structs").BuildWasm(OptLevel.O0, 5).Path;
        var output = Rewriting.Rewrite(input, new ShiftDeclLineVisitor(), "changed-decl-line");
        Assert.NotEqual(Rewriting.NormalizedDumps(input).Info, Rewriting.NormalizedDumps(output).Info);
    }

    [Fact]
    public void The_normalizer_catches_a_reference_to_another_entry()
    {
        var input = Corpus.Get("structs").BuildWasm(OptLevel.O0, 4).Path;
        var output = Rewriting.Rewrite(input, new RetargetTypesVisitor(), "changed-types");
        Rewriting.AssertNoNewVerifyErrors(input, output); // still well-formed: only the meaning changed
        var before = Rewriting.NormalizedDumps(input).Info.Split('\n').Where(l => l.Contains("DW_AT_type", StringComparison.Ordinal)).ToList();
        var after = Rewriting.NormalizedDumps(output).Info.Split('\n').Where(l => l.Contains("DW_AT_type", StringComparison.Ordinal)).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void The_normalizer_catches_a_missing_line_row()
    {
        var input = Corpus.Get("loops").BuildWasm(OptLevel.O0, 4).Path;
        var output = Rewriting.Rewrite(input, new DropRowVisitor(), "dropped-rows");
        Assert.NotEqual(Rewriting.NormalizedDumps(input).Line, Rewriting.NormalizedDumps(output).Line);
    }

    /// <summary>Every address covered by each entry's ranges, as llvm-dwarfdump resolves them, entry by entry.</summary>
    private static List<string> CoveredAddresses(string path)
    {
        var context = new Reading.DwarfContext(Tools.DwarfContainers.FromWasm(Wasm.WasmModule.ReadFile(path)));
        var covered = new List<string>();
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull)
                    continue;
                var ranges = new List<(ulong, ulong)>();
                if (cursor.TryGetPcRange(out ulong low, out ulong high) && !unit.IsTombstone(low))
                    ranges.Add((low, high));
                if (cursor.TryGetAttribute(DwAt.DW_AT_ranges, out var attribute))
                {
                    foreach (var entry in unit.ReadRangeList(attribute).ReadAll().Where(e => e.HasRange && !e.IsTombstone))
                        ranges.Add((entry.Begin, entry.End));
                }

                covered.Add($"{cursor.Tag}: {string.Join(" ", Merge(ranges).Select(r => $"[{r.Item1:x},{r.Item2:x})"))}");
            }
        }

        return covered;
    }

    /// <summary>Ranges sorted and merged where they touch: the set of addresses they cover.</summary>
    private static List<(ulong Begin, ulong End)> Merge(List<(ulong Begin, ulong End)> ranges)
    {
        var merged = new List<(ulong Begin, ulong End)>();
        foreach (var range in ranges.Where(r => r.End > r.Begin).OrderBy(r => r.Begin))
        {
            if (merged.Count > 0 && range.Begin <= merged[^1].End)
                merged[^1] = (merged[^1].Begin, Math.Max(merged[^1].End, range.End));
            else
                merged.Add(range);
        }

        return merged;
    }

    /// <summary>Each variable's location as address → expression, the duplicate entries collapsing into the same set.</summary>
    private static List<string> Locations(string path)
    {
        var context = new Reading.DwarfContext(Tools.DwarfContainers.FromWasm(Wasm.WasmModule.ReadFile(path)));
        var result = new List<string>();
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull || !cursor.TryGetAttribute(DwAt.DW_AT_location, out var location) || !unit.IsLocationList(location))
                    continue;
                var entries = unit.ReadLocationList(location).ReadAll()
                    .Where(e => e.HasRange && !e.IsTombstone)
                    .Select(e => $"[{e.Begin:x},{e.End:x}):{Convert.ToHexString(e.Expression.Span)}")
                    .Distinct()
                    .Order(StringComparer.Ordinal);
                result.Add(string.Join(" ", entries));
            }
        }

        return result;
    }
}
