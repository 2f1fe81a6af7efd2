using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>Rewrites modules through a visitor into a scratch folder and asks llvm-dwarfdump about the result.</summary>
internal static class Rewriting
{
    private static readonly Lazy<string> s_directory = new(() => RepoPaths.NewScratchDirectory("dwarf-transform"));

    /// <summary>A path in the scratch folder for a file of the test's own.</summary>
    public static string ScratchPath(string fileName) => Path.Combine(s_directory.Value, fileName);

    /// <summary>Rewrites <paramref name="inputPath"/> and writes the result as <paramref name="name"/>.wasm; returns its path.</summary>
    public static string Rewrite(string inputPath, DwarfVisitor visitor, string name)
    {
        var module = WasmModule.ReadFile(inputPath);
        var result = WasmDwarfRewriter.Rewrite(module, visitor);
        string path = Path.Combine(s_directory.Value, name + ".wasm");
        File.WriteAllBytes(path, result.Module);
        return path;
    }

    public static string Dump(string path, params string[] options)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, [.. options, path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, result.Describe());
        return result.StandardOutput;
    }

    /// <summary>The error lines of <c>llvm-dwarfdump --verify</c> (empty when it reports none).</summary>
    public static IReadOnlyList<string> VerifyErrors(string path) => DwarfVerify.Errors(path);

    /// <summary>Fails unless the output's verify errors are among the input's.</summary>
    public static void AssertNoNewVerifyErrors(string input, string output) => DwarfVerify.AssertNoNewErrors(input, output);

    /// <summary>
    /// Fails unless the output means to LLVM what the input does: llvm-dwarfdump's statistics are the
    /// input's (<see cref="DwarfStatistics.AssertSame"/>) and no kind of verify error is reported more often.
    /// </summary>
    public static void AssertSameMeaning(string input, string output)
    {
        DwarfStatistics.AssertSame(input, output);
        VerifyErrorCounts.AssertNoKindGrows(input, output);
    }

    /// <summary>Asserts two texts equal, showing the first differing line (whole dumps are too long to read).</summary>
    public static void AssertSameText(string expected, string actual, string what)
    {
        if (expected == actual)
            return;
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
            i++;
        string context(string[] lines) => string.Join('\n', lines.Skip(Math.Max(0, i - 3)).Take(6));
        Assert.Fail($"{what} differ at line {i + 1} ({a.Length} vs {b.Length} lines).\nexpected:\n{context(a)}\nactual:\n{context(b)}");
    }

    /// <summary>The normalized .debug_info and .debug_line dumps of a file.</summary>
    public static (string Info, string Line) NormalizedDumps(string path, DumpNormalizer.Options? options = null)
    {
        string addr = options?.AcrossVersions == true ? Dump(path, "--debug-addr") : "";
        return (DumpNormalizer.Info(Dump(path, "--debug-info"), options?.AcrossVersions == true ? addr : null, options),
                DumpNormalizer.Line(Dump(path, "--debug-line"), options));
    }

    /// <summary>Asserts that two files' DWARF dumps mean the same after normalization.</summary>
    public static void AssertSameDwarf(string input, string output, DumpNormalizer.Options? options = null)
    {
        var expected = NormalizedDumps(input, options);
        var actual = NormalizedDumps(output, options);
        AssertSameText(expected.Info, actual.Info, $".debug_info of {input} and {output}");
        AssertSameText(expected.Line, actual.Line, $".debug_line of {input} and {output}");
    }
}
