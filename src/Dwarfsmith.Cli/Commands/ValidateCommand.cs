using System.CommandLine;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith validate MODULE</c>: decodes every instruction and type-checks the module.</summary>
public static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var module = new Argument<string>("module") { Description = "The .wasm file to validate" };
        var command = new Command("validate", "Decode every instruction and type-check the module (exit 65 when it is malformed or invalid)") { module };
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(module)!;
            var wasm = CliConsole.ReadModule(path);
            var result = CliConsole.WithPath(path, () => ModuleValidator.Validate(wasm));
            console.Out.WriteLine($"{path}: valid ({result.FunctionCount} functions, {result.InstructionCount} instructions)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
