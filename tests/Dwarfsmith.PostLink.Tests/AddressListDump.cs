using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// The ranges of range lists and location lists as <c>llvm-dwarfdump --debug-info</c> prints them
/// (resolved against their bases), each with its expression text, in the order of the entries.
/// </summary>
public static partial class AddressListDump
{
    public static IReadOnlyList<(ulong Begin, ulong End, string Text)> Entries(string wasmPath)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", wasmPath], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        return [.. Entry().Matches(result.StandardOutput).Select(m => (
            Convert.ToUInt64(m.Groups[1].Value, 16), Convert.ToUInt64(m.Groups[2].Value, 16), m.Groups[3].Value.TrimEnd(')').Trim()))];
    }

    /// <summary>
    /// Every range and location-list entry of the input is in the output, in order, with its range
    /// mapped (begin and end are instruction boundaries) and the same expression. Empty entries are
    /// left out of both (the writer drops them: in DWARF 4 they would end the list), and so are dead
    /// ones: they print as their tombstone form resolves, which is the writer's (LLVM resolves
    /// wasm-ld's DWARF 4 offsets from a dead unit's −1 base past 4 GiB, and skips them from −2).
    /// </summary>
    public static void AssertMoved(string input, string output, IReadOnlyDictionary<ulong, ulong> map)
    {
        var expected = new List<(ulong, ulong, string)>();
        foreach (var (begin, end, text) in Entries(input).Where(e => e.Begin != e.End && !IsDead(e.Begin)))
        {
            if (map.TryGetValue(begin, out var newBegin) && map.TryGetValue(end, out var newEnd))
                expected.Add((newBegin, newEnd, text));
            else if (begin is 0 or >= 0xFFFF_FFF0)
                expected.Add((begin, end, text));
            else
                Assert.Fail($"{input}: list entry [0x{begin:x}, 0x{end:x}) {text} does not lie on instruction boundaries");
        }
        var actual = Entries(output).Where(e => e.Begin != e.End && !IsDead(e.Begin)).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"list entry {i}: expected [0x{expected[i].Item1:x}, 0x{expected[i].Item2:x}) {expected[i].Item3}, got [0x{actual[i].Begin:x}, 0x{actual[i].End:x}) {actual[i].Text}");
        }
    }

    /// <summary>A resolved begin at wasm-ld's tombstones (−2, −1) or past them: dead code.</summary>
    private static bool IsDead(ulong begin) => begin >= 0xFFFF_FFFE;

    /// <summary>
    /// Every code address attribute of the input (low_pc, call_return_pc, entry_pc, call_pc) has its
    /// mapped value in the output, entry for entry; dead ones (0, tombstones) stay.
    /// </summary>
    public static void AssertAddressAttributesMoved(string input, string output, IReadOnlyDictionary<ulong, ulong> map)
    {
        var before = AddressAttributes(input);
        var after = AddressAttributes(output);
        Assert.NotEmpty(before);
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            var (name, address) = before[i];
            ulong expected = address is 0 or >= 0xFFFF_FFF0 ? address
                : map.TryGetValue(address, out var mapped) ? mapped
                : throw new Xunit.Sdk.XunitException($"{input}: {name} 0x{address:x} is at no instruction boundary");
            Assert.True(after[i] == (name, expected), $"attribute {i}: {name} 0x{address:x} should be 0x{expected:x}, is {after[i].Name} 0x{after[i].Address:x}");
        }
    }

    private static List<(string Name, ulong Address)> AddressAttributes(string wasmPath)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", wasmPath], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        return [.. AddressAttribute().Matches(result.StandardOutput).Select(m => (m.Groups[1].Value, Convert.ToUInt64(m.Groups[2].Value, 16)))];
    }

    [GeneratedRegex(@"(DW_AT_(?:low_pc|call_return_pc|entry_pc|call_pc))\s+\(0x([0-9a-f]+)\)")]
    private static partial Regex AddressAttribute();

    [GeneratedRegex(@"^\s+\[0x([0-9a-f]+), 0x([0-9a-f]+)\)(.*)$", RegexOptions.Multiline)]
    private static partial Regex Entry();
}
