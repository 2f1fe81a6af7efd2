using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>Compacts a module into a scratch folder and checks the result against wasm-ld, wasm-objdump, llvm-dwarfdump and lldb.</summary>
internal static class CompactionOracles
{
    private static readonly Lazy<string> s_directory = new(() => RepoPaths.NewScratchDirectory("postlink"));

    public static string Scratch(string fileName) => Path.Combine(s_directory.Value, fileName);

    /// <summary>Compacts <paramref name="inputPath"/> in-process into the scratch folder.</summary>
    public static string Compact(string inputPath, string name)
    {
        string output = Scratch(name + ".compact.wasm");
        File.WriteAllBytes(output, ModuleCompactor.Compact(WasmModule.ReadFile(inputPath)));
        return output;
    }

    /// <summary>
    /// Every check of a compacted module that the tools can answer: it validates, its standard sections
    /// are wasm-ld's, its instructions the input's, its DWARF verifies as well as the input's (no
    /// kind of verify error more often) and counts the same in llvm-dwarfdump --statistics (unless
    /// <paramref name="checkStatistics"/> is false: slow on SQLite), and every line row, list entry and
    /// code address attribute is at its mapped address. Returns the map.
    /// </summary>
    public static Dictionary<ulong, ulong> AssertFaithful(LinkedTwice linked, string output, bool checkStatistics = true)
    {
        ProcessRunner.Run(Toolchain.WasmValidate, [output]).EnsureSuccess();
        AssertSameSectionsAsWasmLd(output, linked.Compressed);
        var map = AssertSameInstructions(linked.Module, output);
        DwarfVerify.AssertNoNewErrors(linked.Module, output);
        VerifyErrorCounts.AssertNoKindGrows(linked.Module, output);
        if (checkStatistics)
            DwarfStatistics.AssertSame(linked.Module, output, codeMoved: true);
        AssertLineRowsMoved(linked.Module, output, map);
        AddressListDump.AssertMoved(linked.Module, output, map);
        AddressListDump.AssertAddressAttributesMoved(linked.Module, output, map);
        return map;
    }

    /// <summary>
    /// The compacted code section is the one wasm-ld writes with --compress-relocations, byte for byte,
    /// and so is every other standard section (wasm-ld pads only relocations in code).
    /// </summary>
    public static void AssertSameSectionsAsWasmLd(string compacted, string compressedByWasmLd)
    {
        var ours = WasmModule.ReadFile(compacted).Sections.Where(s => !s.IsCustom).ToList();
        var theirs = WasmModule.ReadFile(compressedByWasmLd).Sections.Where(s => !s.IsCustom).ToList();
        Assert.Equal(theirs.Select(s => s.Id), ours.Select(s => s.Id));
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.True(ours[i].Payload.Span.SequenceEqual(theirs[i].Payload.Span),
                $"{compacted}: the {ours[i].DisplayName} ({ours[i].PayloadSize} bytes) differs from wasm-ld's ({theirs[i].PayloadSize} bytes)");
        }
    }

    /// <summary>Both modules disassemble to the same instructions; returns wasm-objdump's old → new code offsets.</summary>
    public static Dictionary<ulong, ulong> AssertSameInstructions(string input, string output) =>
        Disassembly.SameInstructionsMap(
            Disassembly.Read(input, WasmModule.ReadFile(input).CodeSectionPayloadOffset),
            Disassembly.Read(output, WasmModule.ReadFile(output).CodeSectionPayloadOffset));

    /// <summary>Every line-table row of the input is in the output at its mapped address, with the same line, column, file and flags.</summary>
    public static void AssertLineRowsMoved(string input, string output, IReadOnlyDictionary<ulong, ulong> map)
    {
        var before = LineTableDump.Rows(input);
        var after = LineTableDump.Rows(output).Select(r => (r.Table, r.Address, r.Rest)).ToHashSet();
        var missing = new List<string>();
        foreach (var row in before)
        {
            ulong expected = row.Address;
            if (!LineTableDump.IsDead(row) && !map.TryGetValue(row.Address, out expected))
            {
                missing.Add($"table {row.Table}: row at 0x{row.Address:x} ({row.Rest}) is at no instruction boundary wasm-objdump shows");
                continue;
            }
            if (!after.Contains((row.Table, expected, row.Rest)))
                missing.Add($"table {row.Table}: 0x{row.Address:x} -> 0x{expected:x} {row.Rest}");
        }
        Assert.True(missing.Count == 0, $"{missing.Count} of {before.Count} rows of {input} are not in {output}:\n{string.Join('\n', missing.Take(20))}");
        Assert.True(before.Count == after.Count || before.Count >= after.Count, $"{output} has {after.Count} distinct rows for {before.Count} input rows");
    }

    /// <summary>
    /// lldb-22 resolves each <c>file:line</c> in the output to the mapped addresses, in the same functions.
    /// <paramref name="requireLocations"/>: the input must resolve some (at -O2 a labelled line may have no code left).
    /// </summary>
    public static void AssertBreakpointsMoved(
        string input, string output, IReadOnlyDictionary<ulong, ulong> map, string sourceFile, IReadOnlyCollection<int> lines, bool requireLocations = true)
    {
        var before = LldbBreakpoints.Resolve(input, sourceFile, lines);
        var after = LldbBreakpoints.Resolve(output, sourceFile, lines);
        if (requireLocations)
            Assert.NotEmpty(before);
        var expected = before.Select(b => b with { Address = map.TryGetValue(b.Address, out var a) ? a : ulong.MaxValue }).ToHashSet();
        Assert.Equal(expected.OrderBy(b => (b.Line, b.Address)), after.ToHashSet().OrderBy(b => (b.Line, b.Address)));
    }
}
