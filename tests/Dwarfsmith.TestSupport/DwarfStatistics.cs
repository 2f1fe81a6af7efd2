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
        var result = LlvmDwarfdump.Run("--statistics", path);
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
    /// Fails unless the output's statistics are the input's, but for two things of LLVM's own: the
    /// count of inlined variables without location depends on where units lie
    /// (<see cref="ZeroCoverageByLayout"/>), and dead code LLVM misreads in an input as live
    /// (<see cref="ScopesPastAddressSpace"/>): then the figures that count scope bytes may shrink,
    /// never grow. The output itself must have no such scope. With <paramref name="codeMoved"/> (compaction
    /// shrinks instructions), the figures in bytes of code and the coverage buckets above 0%, which
    /// are ratios of such bytes, are set aside: every count must still be the input's.
    /// </summary>
    public static void AssertSame(string input, string output, bool codeMoved = false)
    {
        var before = Read(input);
        var after = Read(output);
        if (codeMoved)
        {
            before = CountsOnly(before);
            after = CountsOnly(after);
        }

        // Whatever the input, the output writes dead code in a form LLVM reads as dead.
        var misread = ScopesPastAddressSpace(output);
        Assert.True(misread.Count == 0, $"{output} has scopes past its address space (dead code read as live):\n{string.Join('\n', misread.Take(10))}");

        var explained = ZeroCoverageByLayout(before, after);
        var unexplained = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(key => (Key: key, Expected: before.GetValueOrDefault(key, "(none)"), Actual: after.GetValueOrDefault(key, "(none)")))
            .Where(figure => figure.Expected != figure.Actual && !explained.Contains(figure.Key)).ToList();
        if (unexplained.Count == 0)
            return;

        // Only now is the input's dump worth reading (a process per test saved).
        bool inputMisread = ScopesPastAddressSpace(input).Count > 0;
        var differences = unexplained.Where(figure => !(inputMisread && MayShrinkOnceDeadCodeIsDead(figure.Key, figure.Expected, figure.Actual)))
            .Select(figure => $"{figure.Key}: {figure.Expected} -> {figure.Actual}").ToList();
        Assert.True(differences.Count == 0,
            $"llvm-dwarfdump --statistics of {output} differs from {input}'s in {differences.Count} keys:\n{string.Join('\n', differences.Take(20))}");
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
        var result = LlvmDwarfdump.Run("--debug-info", path);
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
    /// The keys whose difference LLVM's own layout dependence explains. Its statistics count the
    /// variables of an inlined instance that have no location (as "processed", with 0% coverage)
    /// by matching DW_AT_abstract_origin's raw value, unit-relative for DW_FORM_ref4, against
    /// section offsets of the abstract subprogram's variables; so the count changes when a unit
    /// moves in .debug_info, as it does in any rewrite that changes a unit's size before it. Only
    /// that count depends on it: for variables, params and local vars alike, the change in the
    /// processed count must equal the change in the 0% bucket, and then both keys are explained.
    /// </summary>
    private static HashSet<string> ZeroCoverageByLayout(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var explained = new HashSet<string>(StringComparer.Ordinal);
        foreach (string kind in new[] { "#variables", "#params", "#local vars" })
        {
            string processed = $"{kind} processed by location statistics";
            string zero = $"{kind} with 0% of parent scope covered by DW_AT_location";
            long processedChange = Change(processed), zeroChange = Change(zero);
            if (processedChange != 0 && processedChange == zeroChange)
            {
                explained.Add(processed);
                explained.Add(zero);
            }
        }

        return explained;

        long Change(string key) =>
            long.TryParse(before.GetValueOrDefault(key), CultureInfo.InvariantCulture, out long a)
            && long.TryParse(after.GetValueOrDefault(key), CultureInfo.InvariantCulture, out long b) ? b - a : 0;
    }

    /// <summary>
    /// The figures that count the bytes of scopes (functions', inlined functions', and variables'
    /// parent scopes) and the variables with any scope, which fall when a scope LLVM misread as
    /// live is dead in the output: sums and counts may
    /// only shrink; the coverage buckets (how much of its scope each variable covers) may move.
    /// </summary>
    private static bool MayShrinkOnceDeadCodeIsDead(string key, string expected, string actual)
    {
        bool isBucket = key.Contains("of parent scope covered by", StringComparison.Ordinal);
        bool isScopeSum = key.Contains("(#bytes in parent scope", StringComparison.Ordinal)
            || key.EndsWith("processed by location statistics", StringComparison.Ordinal)
            || key is "#bytes within functions" or "#bytes within inlined functions";
        if (isBucket)
            return true;
        return isScopeSum && long.TryParse(expected, CultureInfo.InvariantCulture, out long before)
            && long.TryParse(actual, CultureInfo.InvariantCulture, out long after) && after <= before;
    }

    /// <summary>The figures that do not measure code in bytes: counts of entries, variables and line entries, and the 0% coverage buckets (no location at all).</summary>
    private static Dictionary<string, string> CountsOnly(IReadOnlyDictionary<string, string> statistics) =>
        statistics.Where(figure => !figure.Key.Contains("#bytes", StringComparison.Ordinal)
                && (!figure.Key.Contains("of parent scope covered by", StringComparison.Ordinal)
                    || figure.Key.Contains(" 0% of", StringComparison.Ordinal)))
            .ToDictionary(figure => figure.Key, figure => figure.Value, StringComparer.Ordinal);

    private static bool IsSectionSize(string key) =>
        key.StartsWith("#bytes in .", StringComparison.Ordinal) || key.Contains("section size", StringComparison.OrdinalIgnoreCase);

    /// <summary>A resolved range of a DW_AT_ranges list: a line that is only "[begin, end)" (location entries go on with ": expression").</summary>
    [GeneratedRegex(@"^\s*\[0x([0-9a-f]+), 0x[0-9a-f]+\)\)?\s*$")]
    private static partial Regex ScopeRange();
}
