using System.CommandLine;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith demo</c>: runs the main job on the built-in sample module.</summary>
public static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("demo", "Describe, validate, compact, split, compile ahead of time and run the built-in sample module");
        command.SetAction(_ => console.Guard(() => Demo.Run(console)));
        return command;
    }
}
