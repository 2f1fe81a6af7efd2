using System.CommandLine;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith split IN -o OUT --debug-file F [--debug-url URL]</c>: debug information into a separate file.</summary>
public static class SplitCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("module") { Description = "A linked .wasm module with debug information (never modified)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the module without debug information", Required = true };
        var debugFile = new Option<string>("--debug-file") { Description = "Where to write the debug file", Required = true };
        var debugUrl = new Option<string?>("--debug-url") { Description = "The external_debug_info link (default: the debug file's path relative to the output)" };
        var command = new Command("split", "Move the DWARF into a separate debug file linked by external_debug_info and build_id")
        {
            input, output, debugFile, debugUrl,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!, debugPath = parse.GetValue(debugFile)!;
            string link = parse.GetValue(debugUrl) ?? DebugInfoSplitter.RelativeLink(outPath, debugPath);
            var module = CliConsole.ReadModule(inPath);
            var split = CliConsole.WithPath(inPath, () => DebugInfoSplitter.Split(module, link));
            WriteSplit(console, module, outPath, debugPath, link, split);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Writes both files (the debug file first: a main module never points to a file that is not there) and reports their sizes.</summary>
    internal static void WriteSplit(CliConsole console, WasmModule input, string outPath, string debugPath, string link, SplitModules split)
    {
        if (Path.GetFullPath(outPath) == Path.GetFullPath(debugPath))
            throw new UsageException("the output and the debug file must differ");
        CliConsole.WriteOutput(debugPath, split.Debug);
        CliConsole.WriteOutput(outPath, split.Main);
        console.Out.WriteLine($"{outPath}: {input.Bytes.Length:N0} -> {split.Main.Length:N0} bytes");
        console.Out.WriteLine($"{debugPath}: {split.Debug.Length:N0} bytes, build id {Convert.ToHexStringLower(split.BuildId)}");
        // lldb-22 takes a relative link as a file name beside the module, not as a path from its folder.
        if (!Path.IsPathRooted(link) && !link.Contains("://", StringComparison.Ordinal) && link.Contains('/', StringComparison.Ordinal))
            console.Error.WriteLine($"dwarfsmith: warning: lldb-22 does not follow the relative link '{link}' into another folder; keep the debug file beside the module or pass --debug-url with an absolute path");
    }
}
