using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Records the context of every mapping (identity otherwise), on the walk and, offered as the
/// worker's visitor, on the worker thread (the records are a concurrent bag: nothing else is shared).
/// </summary>
internal sealed class ContextRecorder : DwarfVisitor
{
    public ConcurrentBag<string> Ranges { get; } = [];

    public ConcurrentBag<string> Locations { get; } = [];

    public ConcurrentBag<long> LinePrograms { get; } = [];

    public ConcurrentBag<string> Addresses { get; } = [];

    public override DwarfVisitor? WorkerVisitor() => this;

    public override void MapRange(ulong begin, ulong end, RangeSink output)
    {
        Ranges.Add(Describe(output.Context));
        output.Add(begin, end);
    }

    public override void MapAddress(ulong address, AddressUse use, AddressSink output)
    {
        if (output.Context.IsLineRow)
            LinePrograms.Add(output.Context.LineProgramOffset);
        else
            Addresses.Add(Describe(output.Context));
        output.Add(address);
    }

    public override void VisitLocation(in Reading.LocationListEntry entry, LocationSink output)
    {
        Locations.Add(Describe(output.Context));
        output.Keep(entry);
    }

    public static string Describe(MappingContext context) => $"0x{context.EntryOffset:x} {context.Tag} {context.Attribute}";
}

/// <summary>
/// The mapping hooks know what they map for (<see cref="MappingContext"/>): each range, location
/// entry and line row is attributed to the entry and attribute (or line program) llvm-dwarfdump
/// shows it under in the input.
/// </summary>
public partial class MappingContextTests
{
    [Theory]
    [InlineData("pointers", OptLevel.O2, 4)]
    [InlineData("inline", OptLevel.O2, 5)]
    public void Each_mapping_names_the_entry_and_attribute_it_is_for(string program, OptLevel opt, int version)
    {
        string input = Corpus.Get(program).BuildWasm(opt, version).Path;
        var recorder = new ContextRecorder();
        WasmDwarfRewriter.Rewrite(WasmModule.ReadFile(input), recorder);
        var entries = ExpressionHookTests.Entries(Rewriting.Dump(input, "--debug-info"));

        // low_pc/high_pc pairs of live code, mapped as one range.
        var pairs = entries.Where(e => e.Attributes.Any(a => a.Name == "DW_AT_high_pc")
                && e.Attributes.FirstOrDefault(a => a.Name == "DW_AT_low_pc").Value is { } low && !IsDead(low))
            .Select(e => $"0x{e.Offset:x} {e.Tag} DW_AT_low_pc").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(pairs);
        Assert.Equal(pairs, recorder.Ranges.Where(r => r.EndsWith("DW_AT_low_pc", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));

        // DW_AT_ranges and location lists: every list with a live entry, under the entry and attribute holding it.
        Assert.Equal(Lists(entries, "DW_AT_ranges"), recorder.Ranges.Where(r => r.EndsWith("DW_AT_ranges", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
        var locations = Lists(entries, "DW_AT_location");
        Assert.NotEmpty(locations);
        Assert.Equal(locations, recorder.Locations.Distinct().Order(StringComparer.Ordinal));

        // Line rows: the programs the compile units' DW_AT_stmt_list name, those with live sequences.
        var programs = entries.SelectMany(e => e.Attributes.Where(a => a.Name == "DW_AT_stmt_list"))
            .Select(a => Convert.ToInt64(a.Value, 16)).ToHashSet();
        var live = LivePrograms(Rewriting.Dump(input, "--debug-line"));
        Assert.Subset(programs, live);
        Assert.NotEmpty(live);
        Assert.Equal(live.Order(), recorder.LinePrograms.Distinct().Order());
        Assert.All(recorder.Addresses, a => Assert.DoesNotContain(" 0 ", a, StringComparison.Ordinal));
    }

    /// <summary>The offsets of the line tables that have a sequence of live code.</summary>
    private static HashSet<long> LivePrograms(string dump)
    {
        var live = new HashSet<long>();
        long table = -1;
        bool sequenceStart = true;
        foreach (string line in dump.Split('\n'))
        {
            var header = TableHeader().Match(line);
            if (header.Success)
            {
                table = Convert.ToInt64(header.Groups[1].Value, 16);
                sequenceStart = true;
                continue;
            }

            var row = RowAddress().Match(line);
            if (!row.Success)
                continue;
            if (sequenceStart && !IsDead(row.Groups[1].Value))
                live.Add(table);
            sequenceStart = line.Contains("end_sequence", StringComparison.Ordinal);
        }

        return live;
    }

    [GeneratedRegex(@"^debug_line\[(0x[0-9a-f]+)\]")]
    private static partial Regex TableHeader();

    [GeneratedRegex(@"^(0x[0-9a-f]{16}) ")]
    private static partial Regex RowAddress();

    /// <summary>The entries holding <paramref name="attribute"/> as a list with at least one live entry.</summary>
    private static List<string> Lists(List<ExpressionHookTests.DumpEntry> entries, string attribute) =>
        entries.SelectMany(e => e.Attributes.Where(a => a.Name == attribute && ListRange().Matches(a.Value).Any(m => !IsDead(m.Groups[1].Value)))
            .Select(a => $"0x{e.Offset:x} {e.Tag} {attribute}")).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A dead-code address as the input's linker wrote it (wasm: −1, −2, or 0, which is never code).</summary>
    private static bool IsDead(string value)
    {
        if (value.Contains("dead code", StringComparison.Ordinal))
            return true; // how llvm-dwarfdump prints a tombstoned low_pc
        ulong address = Convert.ToUInt64(DumpHex().Match(value).Value, 16);
        return address is 0 or >= 0xFFFFFFFE; // past 4 bytes: a dead base plus an offset, summed by llvm-dwarfdump
    }

    [GeneratedRegex(@"\[(0x[0-9a-f]+), 0x[0-9a-f]+\)")]
    private static partial Regex ListRange();

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex DumpHex();
}
