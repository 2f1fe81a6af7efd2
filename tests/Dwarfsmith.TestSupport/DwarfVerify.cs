using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.TestSupport;

/// <summary><c>llvm-dwarfdump --verify</c> as an oracle: the errors of a file, and whether an output added any.</summary>
public static partial class DwarfVerify
{
    /// <summary>The error lines of <c>llvm-dwarfdump --verify</c> without their offsets (empty when it reports none).</summary>
    public static IReadOnlyList<string> Errors(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--verify", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        string output = result.StandardOutput + result.StandardError;
        var errors = output.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).Select(Normalize).ToList();
        if (errors.Count == 0)
            Assert.True(output.Contains("No errors.", StringComparison.Ordinal), $"llvm-dwarfdump --verify {path} failed without errors:\n{output}");
        return errors;
    }

    /// <summary>Fails unless the output's verify errors are among the input's.</summary>
    public static void AssertNoNewErrors(string input, string output)
    {
        var before = Errors(input).ToHashSet();
        var added = Errors(output).Where(e => !before.Contains(e)).ToList();
        Assert.True(added.Count == 0, $"llvm-dwarfdump --verify {output} reports errors that {input} does not:\n{string.Join('\n', added.Take(20))}");
    }

    /// <summary>An error line without its offsets, so that an input's error and the same error in the output compare equal.</summary>
    private static string Normalize(string line) => HexNumber().Replace(line, "0x_");

    [GeneratedRegex("0x[0-9a-fA-F]+")]
    private static partial Regex HexNumber();
}
