using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>lldb-22 resolves every source line of the line table to the same addresses before and after a rewrite.</summary>
public class LldbLineResolutionTests
{
    public static TheoryData<string, OptLevel, int, bool> Cases => new()
    {
        { "structs", OptLevel.O0, 4, false },
        { "inline", OptLevel.O2, 5, false },
        { "loops", OptLevel.O2, 4, false },
        { "structs", OptLevel.O0, 4, true },
        { "inline", OptLevel.O2, 5, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_line_of_the_line_table_resolves_to_the_same_addresses(string name, OptLevel opt, int version, bool convert)
    {
        var program = Corpus.Get(name);
        var input = program.BuildWasm(opt, version).Path;
        DwarfVisitor visitor = convert ? new VersionConversionVisitor((ushort)(9 - version)) : DwarfVisitor.Identity;
        var output = Rewriting.Rewrite(input, visitor, $"lldb-{(convert ? "convert" : "identity")}-{name}-{opt}-v{version}");
        string source = Path.GetFileName(program.SourcePath);
        var lines = SourceLines(input, source);
        Assert.NotEmpty(lines);
        Assert.Equal(Breakpoints(input, source, lines), Breakpoints(output, source, lines));
    }

    /// <summary>The distinct lines of <paramref name="source"/> that the module's line table has rows for.</summary>
    private static List<ulong> SourceLines(string path, string source)
    {
        var context = new Reading.DwarfContext(Tools.DwarfContainers.FromWasm(Wasm.WasmModule.ReadFile(path)));
        var lines = new SortedSet<ulong>();
        foreach (var unit in context.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            var rows = program.Rows();
            while (rows.MoveNext())
            {
                var row = rows.Current;
                if (row.Line != 0 && !row.EndSequence && program.TryGetFile(row.File, out var file) && Path.GetFileName(file.Path) == source)
                    lines.Add(row.Line);
            }
        }

        return [.. lines];
    }

    /// <summary>lldb's breakpoint locations (function, offset, file:line:column, address) for each line, without the module's name.</summary>
    private static string Breakpoints(string path, string source, List<ulong> lines)
    {
        var script = Path.ChangeExtension(path, ".lldb");
        File.WriteAllLines(script, [$"target create \"{path}\"", .. lines.Select(l => $"breakpoint set -f {source} -l {l}"), "breakpoint list"]);
        var result = ProcessRunner.Run(Toolchain.Lldb, ["-b", "-s", script], new ProcessOptions { Timeout = TimeSpan.FromMinutes(2) });
        Assert.True(result.ExitCode == 0, result.Describe());
        string listing = result.StandardOutput[result.StandardOutput.LastIndexOf("Current breakpoints:", StringComparison.Ordinal)..];
        Assert.Contains("where = ", listing, StringComparison.Ordinal);
        return listing.Replace(Path.GetFileName(path), "<module>", StringComparison.Ordinal);
    }
}
