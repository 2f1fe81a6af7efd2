using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// <c>llvm-dwarfdump --verify</c>'s errors counted by kind, as an oracle of rewrites: no kind may be
/// reported more often for the output than for the input. Fewer is fine (an identity rewrite of a
/// linked module drops the "invalid string offset" errors of the .debug_str_offsets wasm-ld links).
/// </summary>
public static partial class VerifyErrorCounts
{
    /// <summary>Error kinds and their counts, from the verifier's aggregated counts (empty when it reports none).</summary>
    public static IReadOnlyDictionary<string, int> Read(string path)
    {
        var result = LlvmDwarfdump.Run("--verify", path);
        string output = result.StandardOutput + result.StandardError;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in AggregatedCount().Matches(output))
        {
            string kind = match.Groups[1].Value;
            counts[kind] = counts.GetValueOrDefault(kind) + int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.True(counts.Count > 0 || output.Contains("No errors.", StringComparison.Ordinal),
            $"llvm-dwarfdump --verify {path} reported errors without counting them by kind:\n{string.Join('\n', output.Split('\n').Take(20))}");
        return counts;
    }

    /// <summary>Fails when the output has an error kind more often than the input.</summary>
    public static void AssertNoKindGrows(string input, string output)
    {
        var before = Read(input);
        var after = Read(output);
        var grown = after.Where(kind => kind.Value > before.GetValueOrDefault(kind.Key))
            .Select(kind => $"{kind.Key}: {before.GetValueOrDefault(kind.Key)} -> {kind.Value}").ToList();
        Assert.True(grown.Count == 0, $"llvm-dwarfdump --verify reports more errors of these kinds for {output} than for {input}:\n{string.Join('\n', grown)}");
    }

    [GeneratedRegex(@"error: (.+) occurred (\d+) time\(s\)\.")]
    private static partial Regex AggregatedCount();
}
