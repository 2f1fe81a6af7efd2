using System.CommandLine;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith info MODULE [--json]</c>: the structure of a module.</summary>
public static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var module = new Argument<string>("module") { Description = "The .wasm file to describe" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var command = new Command("info", "Show sections, imports, exports, functions and custom sections of a module") { module, json };
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(module)!;
            var wasm = CliConsole.ReadModule(path);
            // Custom sections are parsed on demand; a malformed one is still malformed input.
            CliConsole.WithPath(path, () =>
            {
                if (parse.GetValue(json))
                    ModuleInfoPrinter.WriteJson(console.Out, path, wasm);
                else
                    ModuleInfoPrinter.WriteText(console.Out, path, wasm);
                return 0;
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
