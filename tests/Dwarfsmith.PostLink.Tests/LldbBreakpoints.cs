using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>Where lldb-22 resolves a <c>file:line</c> breakpoint: the function and the code address (lldb prints DWARF addresses for wasm).</summary>
public readonly record struct BreakpointLocation(int Line, string Function, ulong Address);

/// <summary>Sets breakpoints with lldb-22 in batch mode and reads back their locations.</summary>
public static partial class LldbBreakpoints
{
    /// <param name="setup">Commands after <c>target create</c> (such as <c>target symbols add</c>).</param>
    public static IReadOnlyList<BreakpointLocation> Resolve(string wasmPath, string sourceFile, IEnumerable<int> lines, params string[] setup)
    {
        var lineList = lines.ToList();
        var args = new List<string> { "-b", "-o", $"target create \"{wasmPath}\"" };
        foreach (var command in setup)
            args.AddRange(["-o", command]);
        foreach (int line in lineList)
            args.AddRange(["-o", $"breakpoint set -f {sourceFile} -l {line}"]);
        args.AddRange(["-o", "breakpoint list -v"]);
        var result = ProcessRunner.Run(Toolchain.Lldb, args, new ProcessOptions { Timeout = TimeSpan.FromMinutes(3) }).EnsureSuccess();

        var locations = new List<BreakpointLocation>();
        int breakpoint = 0;
        string? function = null;
        foreach (var text in result.StandardOutput.Split('\n'))
        {
            if (BreakpointHeader().Match(text) is { Success: true } header)
                breakpoint = int.Parse(header.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            else if (FunctionLine().Match(text) is { Success: true } f)
                function = f.Groups[1].Value.Trim();
            else if (AddressLine().Match(text) is { Success: true } a && breakpoint > 0)
                locations.Add(new BreakpointLocation(lineList[breakpoint - 1], function ?? "?", Convert.ToUInt64(a.Groups[1].Value, 16)));
        }
        return locations;
    }

    [GeneratedRegex(@"^(\d+): file = ")]
    private static partial Regex BreakpointHeader();

    [GeneratedRegex(@"^\s+function = (.*)$")]
    private static partial Regex FunctionLine();

    [GeneratedRegex(@"^\s+address = \S+\[0x([0-9a-f]+)\]")]
    private static partial Regex AddressLine();
}
