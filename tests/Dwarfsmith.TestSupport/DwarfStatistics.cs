using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// <c>llvm-dwarfdump --statistics</c> as an oracle: a rewrite that keeps what the DWARF means keeps
/// every figure (functions, variables, scope bytes and their coverage, line entries…). The file
/// name differs, and so may section sizes, which LLVM prints under keys of their own (none by
/// default in LLVM 22). Slow on big modules: use it on small and medium ones.
/// </summary>
public static partial class DwarfStatistics
{
    /// <summary>The statistics of a file, each value as JSON text, without the file name and section sizes.</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--statistics", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var statistics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name != "file" && !IsSectionSize(property.Name))
                statistics[property.Name] = property.Value.GetRawText();
        }

        return statistics;
    }

    /// <summary>
    /// Fails unless the output's statistics are the input's, but for the one thing LLVM misreads in
    /// an input (<see cref="ScopesPastAddressSpace"/>): then the figures that count scope bytes may
    /// shrink, never grow, and the output must have no such scope.
    /// </summary>
    public static void AssertSame(string input, string output)
    {
        var before = Read(input);
        var after = Read(output);
        bool inputMisread = ScopesPastAddressSpace(input).Count > 0;
        var differences = new List<string>();
        foreach (string key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            string expected = before.GetValueOrDefault(key, "(none)");
            string actual = after.GetValueOrDefault(key, "(none)");
            if (expected != actual && !(inputMisread && MayShrinkOnceDeadCodeIsDead(key, expected, actual)))
                differences.Add($"{key}: {expected} -> {actual}");
        }

        Assert.True(differences.Count == 0,
            $"llvm-dwarfdump --statistics of {output} differs from {input}'s in {differences.Count} keys:\n{string.Join('\n', differences.Take(20))}");
        if (inputMisread)
        {
            var misread = ScopesPastAddressSpace(output);
            Assert.True(misread.Count == 0, $"{output} has scopes past its address space (dead code read as live):\n{string.Join('\n', misread.Take(10))}");
        }
    }

    /// <summary>
    /// The scope ranges (DW_AT_ranges, not location lists) that llvm-dwarfdump's --debug-info dump
    /// resolves past a 32-bit address space. wasm-ld leaves a dead unit's DW_AT_low_pc at the
    /// tombstone 0xffffffff and its DWARF 4 .debug_ranges offsets unrelocated: LLVM takes only
    /// 0xfffffffe as a tombstone base there, so it adds the offsets to 0xffffffff and counts code
    /// above 4 GiB as scope (`[0x10000000c, 0x10000000f)`), which a faithful rewrite keeps dead.
    /// Only for wasm32 modules, whose addresses are 4 bytes.
    /// </summary>
    public static IReadOnlyList<string> ScopesPastAddressSpace(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-info", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        var misread = new List<string>();
        foreach (string line in result.StandardOutput.Split('\n'))
        {
            var range = ScopeRange().Match(line);
            if (range.Success && ulong.Parse(range.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) > uint.MaxValue)
                misread.Add(line.Trim());
        }

        return misread;
    }

    /// <summary>
    /// The figures that count the bytes of variables' scopes (and the variables with any scope),
    /// which fall when a scope LLVM misread as live is dead in the output: sums and counts may
    /// only shrink; the coverage buckets (how much of its scope each variable covers) may move.
    /// </summary>
    private static bool MayShrinkOnceDeadCodeIsDead(string key, string expected, string actual)
    {
        bool isBucket = key.Contains("of parent scope covered by", StringComparison.Ordinal);
        bool isScopeSum = key.Contains("(#bytes in parent scope", StringComparison.Ordinal)
            || key.EndsWith("processed by location statistics", StringComparison.Ordinal);
        if (isBucket)
            return true;
        return isScopeSum && long.TryParse(expected, CultureInfo.InvariantCulture, out long before)
            && long.TryParse(actual, CultureInfo.InvariantCulture, out long after) && after <= before;
    }

    private static bool IsSectionSize(string key) =>
        key.StartsWith("#bytes in .", StringComparison.Ordinal) || key.Contains("section size", StringComparison.OrdinalIgnoreCase);

    /// <summary>A resolved range of a DW_AT_ranges list: a line that is only "[begin, end)" (location entries go on with ": expression").</summary>
    [GeneratedRegex(@"^\s*\[0x([0-9a-f]+), 0x[0-9a-f]+\)\)?\s*$")]
    private static partial Regex ScopeRange();
}
