using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// Optimized builds keep variables in wasm locals and on the operand stack, through location
/// lists. llvm-dwarfdump-22 says which local or stack slot each variable is in over which range;
/// a dump at the start of each range, whose locals and stack slots hold distinct values, must show
/// the variable with the value of exactly that slot. Constants (DW_AT_const_value) show as given.
/// </summary>
public partial class OptimizedLocationTests
{
    private const int LocalBase = 1000;
    private const int StackBase = 5000;
    private const int Spacing = 17;

    [GeneratedRegex(@"\[0x([0-9a-f]+), 0x([0-9a-f]+)\): DW_OP_WASM_location 0x([02]) 0x([0-9a-f]+), DW_OP_stack_value")]
    private static partial Regex WasmEntry();

    [GeneratedRegex(@"DW_AT_(?:name|abstract_origin)\t\((?:0x[0-9a-f]+ )?""([^""]+)""\)")]
    private static partial Regex EntryName();

    [Theory]
    [InlineData("inline", 4)]
    [InlineData("inline", 5)]
    [InlineData("pointers", 4)]
    [InlineData("loops", 4)]
    [InlineData("integers", 4)]
    public void Variables_in_wasm_locals_and_stack_slots_show_that_slot(string name, int dwarfVersion)
    {
        var program = Corpus.Get(name);
        var path = program.BuildWasm(OptLevel.O2, dwarfVersion).Path;
        var module = WasmModule.ReadFile(path);
        var entries = LocationEntries(path, Path.GetFileName(program.SourcePath));
        Assert.True(entries.Count > 5, $"only {entries.Count} location-list entries in wasm locals");
        var dump = new SyntheticDump(module);
        // A frame at every pc of each entry's range: the variable is in scope at some of them (a
        // location list may reach beyond the ranges of the inlined call that owns the variable).
        var pcs = entries.SelectMany(e => Enumerable.Range(0, (int)Math.Min(e.End - e.Begin, 64)).Select(i => e.Begin + (ulong)i)).Distinct().ToList();
        foreach (var pc in pcs)
        {
            var frame = dump.AddFrame(pc);
            var locals = frame.Locals.Select((v, i) => v.Kind == CoreValueKind.I64 ? CoreValue.I64(LocalBase + (Spacing * i)) : v.Kind == CoreValueKind.I32 ? CoreValue.I32(LocalBase + (Spacing * i)) : v).ToList();
            var stack = Enumerable.Range(0, 8).Select(i => CoreValue.I32(StackBase + (Spacing * i))).ToList();
            dump.ReplaceLastFrame(frame with { Locals = locals, Stack = stack });
        }

        var frames = new CoreDumpSession(dump.Build(), module).Report().Frames;
        int checkedCount = 0;
        foreach (var entry in entries)
        {
            var candidates = frames.Where(f => f.Pc >= entry.Begin && f.Pc < entry.End).SelectMany(f => f.Variables).Where(v => v.EntryOffset == entry.Offset).ToList();
            var integer = candidates.Where(v => IsWideInteger(v.Type)).ToList();
            if (integer.Count == 0)
                continue;
            var expected = (entry.Kind == 0 ? LocalBase : StackBase) + (Spacing * entry.Index);
            Assert.True(integer.All(v => v.Value == expected.ToString(CultureInfo.InvariantCulture)),
                $"{entry}: expected {expected}, shown {string.Join(", ", integer.Select(v => v.Value ?? v.Unavailable))}");
            checkedCount++;
        }

        Assert.True(checkedCount >= 1, "no integer variable checked");
    }

    [Fact]
    public void Constant_parameters_of_inlined_calls_show_their_value()
    {
        var module = WasmModule.ReadFile(Corpus.Get("inline").BuildWasm(OptLevel.O2).Path);
        var (low, high) = SyntheticDump.FunctionRange(module, "hash_values");
        var dump = new SyntheticDump(module);
        for (var address = low; address < high; address++)
            dump.AddFrame(address);
        var clamp = new CoreDumpSession(dump.Build(), module).Report().Frames.Where(f => f.Function == "clamp").ToList();
        Assert.NotEmpty(clamp);
        Assert.All(clamp, f =>
        {
            Assert.True(f.Inlined);
            Assert.Contains(f.Variables, v => v is { Name: "lo", Value: "-1000", Kind: VariableKind.Parameter });
            Assert.Contains(f.Variables, v => v is { Name: "hi", Value: "1000", Kind: VariableKind.Parameter });
        });
    }

    /// <summary>
    /// clang-22 at -O2 keeps <c>struct point m</c> of corpus/structs.c in pieces: over one range its
    /// <c>x</c> is operand-stack slot 1 and <c>y</c> has no location (llvm-dwarfdump:
    /// <c>DW_OP_WASM_location 0x2 0x1, DW_OP_stack_value, DW_OP_piece 0x4</c>), over another the
    /// reverse. gdb shows such a struct member by member, the unknown one as <c>&lt;optimized out&gt;</c>.
    /// </summary>
    [Fact]
    public void Struct_in_pieces_shows_the_known_members_and_the_others_optimized_out()
    {
        var program = Corpus.Get("structs");
        var path = program.BuildWasm(OptLevel.O2).Path;
        var module = WasmModule.ReadFile(path);
        var dump = new SyntheticDump(module);
        foreach (var begin in PieceEntryBegins(path, "structs.c", "m"))
        {
            var frame = dump.AddFrame(begin);
            dump.ReplaceLastFrame(frame with { Stack = [.. Enumerable.Range(0, 4).Select(i => CoreValue.I32(StackBase + (Spacing * i)))] });
        }

        var session = new CoreDumpSession(dump.Build(), module);
        var shown = session.Report().Frames.SelectMany(f => f.Variables).Where(v => v.Name == "m").Select(v => v.Value).ToHashSet();
        Assert.Contains("{x = 5017, y = <optimized out>}", shown);
        Assert.Contains("{x = <optimized out>, y = 5017}", shown);
        var frameIndex = session.Report().Frames.First(f => f.Variables.Any(v => v is { Name: "m", Value: "{x = 5017, y = <optimized out>}" })).Index;
        Assert.Equal("5017", session.Print("m.x", frameIndex));
        Assert.Equal("<unavailable: optimized out (this part of the variable has no location here)>", session.Print("m.y", frameIndex));
    }

    /// <summary>Where each location-list entry in pieces of a variable of the program's unit begins.</summary>
    private static List<ulong> PieceEntryBegins(string path, string sourceName, string variable)
    {
        var begins = new List<ulong>();
        foreach (var die in UnitEntries(path, sourceName))
        {
            if (!die.Contains($"DW_AT_name\t(\"{variable}\")", StringComparison.Ordinal))
                continue;
            foreach (Match m in Regex.Matches(die, @"\[0x([0-9a-f]+), 0x[0-9a-f]+\): [^\n]*DW_OP_piece"))
                begins.Add(Convert.ToUInt64(m.Groups[1].Value, 16));
        }

        Assert.True(begins.Count >= 2, $"{variable}: {begins.Count} entries in pieces");
        return begins;
    }

    /// <summary>A type whose values print as a plain decimal of at least 32 bits.</summary>
    private static bool IsWideInteger(string type) =>
        type is "int" or "unsigned int" or "int32_t" or "uint32_t" or "long" or "unsigned long" or "size_t" or "int64_t" or "uint64_t" or "long long" or "unsigned long long";

    /// <summary>llvm-dwarfdump's text of each entry of the unit compiled from <paramref name="sourceName"/>.</summary>
    private static IEnumerable<string> UnitEntries(string path, string sourceName)
    {
        var dump = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", path]).EnsureSuccess().StandardOutput;
        var unitStart = dump.IndexOf($"/{sourceName}\")", StringComparison.Ordinal);
        var unitEnd = dump.IndexOf("DW_TAG_compile_unit", unitStart, StringComparison.Ordinal);
        var unit = dump[unitStart..(unitEnd < 0 ? dump.Length : unitEnd)];
        return Regex.Split(unit, @"\n(?=0x[0-9a-f]{8}:)").Skip(1);
    }

    private sealed record Entry(long Offset, string Name, ulong Begin, ulong End, int Kind, int Index);

    /// <summary>The location-list entries of the program's unit that put a variable in a wasm local (kind 0) or stack slot (kind 2).</summary>
    private static List<Entry> LocationEntries(string path, string sourceName)
    {
        var entries = new List<Entry>();
        foreach (var die in UnitEntries(path, sourceName))
        {
            if (EntryName().Match(die) is not { Success: true } nameMatch || !die.Contains("DW_TAG_variable", StringComparison.Ordinal) && !die.Contains("DW_TAG_formal_parameter", StringComparison.Ordinal))
                continue;
            foreach (Match m in WasmEntry().Matches(die))
            {
                entries.Add(new Entry(Convert.ToInt64(die[..die.IndexOf(':', StringComparison.Ordinal)].Trim(), 16), nameMatch.Groups[1].Value, Convert.ToUInt64(m.Groups[1].Value, 16), Convert.ToUInt64(m.Groups[2].Value, 16),
                    int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), Convert.ToInt32(m.Groups[4].Value, 16)));
            }
        }

        return entries;
    }
}
