using System.CommandLine;
using Dwarfsmith.Tools.PostLink;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith strip IN -o OUT [--keep-name-section] [--keep-debug-links]</c>.</summary>
public static class StripCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("module") { Description = "A linked .wasm module (never modified)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the stripped module", Required = true };
        var keepName = new Option<bool>("--keep-name-section") { Description = "Keep the name section (function names in stack traces)" };
        var keepLinks = new Option<bool>("--keep-debug-links") { Description = "Keep external_debug_info and sourceMappingURL" };
        var command = new Command("strip", "Remove the .debug_* sections (and the name section and debug links unless kept); the rest stays byte for byte")
        {
            input, output, keepName, keepLinks,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            var options = new StripOptions(parse.GetValue(keepName), parse.GetValue(keepLinks));
            var module = CliConsole.ReadModule(inPath);
            var stripped = CliConsole.WithPath(inPath, () => DebugInfoStripper.Strip(module, options));
            CliConsole.WriteOutput(outPath, stripped);
            console.Out.WriteLine($"{outPath}: {module.Bytes.Length:N0} -> {stripped.Length:N0} bytes");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
