using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>gdb as the oracle for printed values: <c>print</c> on a native build's initial data, without running it.</summary>
internal static partial class NativeGdb
{
    [GeneratedRegex(@"0x[0-9a-f]+(?: <[^>]*>)?")]
    private static partial Regex Address();

    [GeneratedRegex(@"^\$\d+ = ")]
    private static partial Regex History();

    /// <summary>What gdb prints for each expression (without its <c>$N = </c>), one per expression.</summary>
    public static List<string> Print(string executable, IEnumerable<string> expressions)
    {
        var arguments = new List<string> { "-batch", "-nx" };
        foreach (var expression in expressions)
            arguments.AddRange(["-ex", "print " + expression]);
        arguments.Add(executable);
        var gdb = ProcessRunner.Run(Toolchain.Gdb, arguments).EnsureSuccess();
        return [.. gdb.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => History().Replace(l, ""))];
    }

    /// <summary>
    /// A value with its addresses made comparable between a wasm and a native build: every address
    /// (and the symbol gdb names after a data pointer) becomes 0xADDR.
    /// </summary>
    public static string Normalize(string text) => Address().Replace(text, "0xADDR");
}
