using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Compaction;
using Dwarfsmith.Wasm.Writing;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>The offset map as a library API: its lookups, and a caller that brings a map of its own.</summary>
public class CodeOffsetMapTests
{
    [Fact]
    public void Boundaries_map_exactly_and_points_inside_instructions_stay_inside()
    {
        // Two instructions of 6 and 2 bytes at 10 and 16 become 2 and 2 bytes at 10 and 12; the body ends at 18 -> 14.
        var map = CodeOffsetMap.Create([0, 10, 16, 18], [0, 10, 12, 14]);
        Assert.Equal(12UL, map.MapStart(16));
        Assert.Equal(14UL, map.MapEnd(18));
        Assert.Equal(11UL, map.MapStart(11));
        Assert.Equal(12UL, map.MapStart(15)); // bounded by the new instruction's length
        Assert.Equal(12UL, map.MapEnd(11));   // the new end of the instruction it falls in
        Assert.Equal(24UL, map.MapStart(28)); // beyond the last boundary: the same distance
        Assert.True(map.TryMapExact(10, out uint exact) && exact == 10);
        Assert.False(map.TryMapExact(11, out _));
        Assert.Throws<ArgumentException>(() => CodeOffsetMap.Create([0, 10, 10], [0, 5, 6]));
        Assert.Throws<ArgumentException>(() => CodeOffsetMap.Create([0, 10], [0, 12, 13]));
    }

    /// <summary>
    /// The lookups remember the last boundary found (DWARF asks mostly in ascending order); answers
    /// must not depend on the order of the questions. Checked against a direct scan, asking in
    /// ascending, descending and random order, with points below, between and beyond the boundaries.
    /// </summary>
    /// <summary>Dense boundaries (instructions of 1–6 bytes) and sparse ones (gaps up to 200,000 bytes, which widen the lookup buckets).</summary>
    [Theory]
    [InlineData(7)]
    [InlineData(200_000)]
    public void Lookups_give_the_same_answers_in_any_order(int maxLength)
    {
        var random = new Random(11);
        var oldOffsets = new List<uint>();
        var newOffsets = new List<uint>();
        uint oldAt = 5, newAt = 5;
        for (int i = 0; i < 2000; i++)
        {
            uint length = (uint)random.Next(1, maxLength);
            oldOffsets.Add(oldAt);
            newOffsets.Add(newAt);
            oldAt += length;
            newAt += (uint)random.Next(1, (int)Math.Min(length, 7) + 1);
        }

        var map = CodeOffsetMap.Create([.. oldOffsets], [.. newOffsets]);
        ulong Expected(ulong point, bool end)
        {
            int floor = oldOffsets.FindLastIndex(o => o <= point);
            if (floor < 0)
                return point;
            ulong delta = point - oldOffsets[floor];
            bool last = floor + 1 == oldOffsets.Count;
            if (end)
                return delta == 0 ? newOffsets[floor] : last ? newOffsets[floor] + delta : newOffsets[floor + 1];
            return newOffsets[floor] + (last ? delta : Math.Min(delta, newOffsets[floor + 1] - newOffsets[floor]));
        }

        var points = oldAt < 100_000
            ? Enumerable.Range(0, (int)oldAt + 10).Select(p => (ulong)p).ToList()
            : oldOffsets.SelectMany(o => new ulong[] { o - 1, o, o + 1 }).Concat(Enumerable.Range(0, 5000).Select(_ => (ulong)random.NextInt64(oldAt + 10))).Order().ToList();
        var shuffled = points.OrderBy(_ => random.Next()).ToList();
        foreach (var order in new[] { points, Enumerable.Reverse(points).ToList(), shuffled })
        {
            foreach (ulong point in order)
            {
                Assert.Equal(Expected(point, end: false), map.MapStart(point));
                Assert.Equal(Expected(point, end: true), map.MapEnd(point));
                int index = oldOffsets.IndexOf((uint)point);
                Assert.Equal(index >= 0, map.TryMapExact((uint)point, out uint exact));
                Assert.Equal(index >= 0 ? newOffsets[index] : 0, exact);
            }
        }
    }

    /// <summary>
    /// A linker that compresses relocations itself (here wasm-ld, whose debug-less output is taken as
    /// is) remaps the DWARF with a map of its own (here rebuilt from wasm-objdump): the debug sections
    /// come out the same as compact's.
    /// </summary>
    [Theory]
    [InlineData("structs", OptLevel.O0, 5)]
    [InlineData("switches", OptLevel.O2, 4)]
    public void A_map_from_elsewhere_remaps_the_dwarf_as_compact_does(string name, OptLevel opt, int dwarfVersion)
    {
        var linked = LinkedTwice.Program(Corpus.Get(name), opt, dwarfVersion);
        var oracle = CompactionOracles.AssertSameInstructions(linked.Module, linked.Compressed);
        var ordered = oracle.OrderBy(p => p.Key).ToArray();
        var map = CodeOffsetMap.Create([.. ordered.Select(p => (uint)p.Key)], [.. ordered.Select(p => (uint)p.Value)]);

        var input = WasmModule.ReadFile(linked.Module);
        var dwarf = DwarfRewriter.Rewrite(DwarfContainers.FromWasm(input), new CodeOffsetMapVisitor(map));
        var builder = new ModuleBuilder(WasmModule.ReadFile(linked.Compressed));
        WasmDwarfRewriter.ReplaceDebugSections(builder, dwarf.Sections);
        var withDebugInfo = WasmModule.Read(builder.ToArray());
        var compacted = WasmModule.Read(ModuleCompactor.Compact(input));

        var expected = compacted.DebugSections.ToDictionary(s => s.Name!, s => s.Content.ToArray());
        var actual = withDebugInfo.DebugSections.ToDictionary(s => s.Name!, s => s.Content.ToArray());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (section, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[section]), $"{section} differs");
    }

    [Fact]
    public void A_build_id_is_recomputed_with_its_length_and_the_same_output_gets_the_same_id()
    {
        var program = Corpus.Get("loops");
        var module = program.Build(CompileOptions.Wasm(OptLevel.O2) with { Flags = ["-Wl,--build-id=sha1"], OutputName = "loops.build-id.wasm" }).Path;
        var input = WasmModule.ReadFile(module);
        Assert.Equal(20, input.BuildId!.Length);
        var first = ModuleCompactor.Compact(input);
        var second = ModuleCompactor.Compact(WasmModule.ReadFile(module));
        Assert.Equal(first, second);
        var id = WasmModule.Read(first).BuildId!;
        Assert.Equal(20, id.Length);
        Assert.NotEqual(input.BuildId, id);

        string path = CompactionOracles.Scratch("loops.build-id.compact.wasm");
        File.WriteAllBytes(path, first);
        var expected = program.RunWasm(module);
        var actual = program.RunWasm(path);
        Assert.Equal((expected.ExitCode, expected.StandardOutput), (actual.ExitCode, actual.StandardOutput));
    }
}
