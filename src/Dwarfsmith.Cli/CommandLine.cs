using System.CommandLine;
using Dwarfsmith.Cli.Commands;

namespace Dwarfsmith.Cli;

/// <summary>Builds the command tree and maps outcomes to the documented exit codes.</summary>
public static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("Dwarfsmith: DWARF-aware tools for WebAssembly");
        root.Subcommands.Add(InfoCommand.Create(console));
        root.Subcommands.Add(ValidateCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(AotCommand.Create(console));
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(LldbCommand.Create(console));
        root.Subcommands.Add(RewriteCommand.Create(console));
        root.Subcommands.Add(DwarfCommand.Create(console));
        root.Subcommands.Add(SpecTestCommand.Create(console));
        root.Subcommands.Add(CompactCommand.Create(console));
        root.Subcommands.Add(StripCommand.Create(console));
        root.Subcommands.Add(SplitCommand.Create(console));
        root.Subcommands.Add(DebugTestCommand.Create(console));
        root.Subcommands.Add(CoreDumpCommand.Create(console));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
                stderr.WriteLine($"dwarfsmith: {error.Message}");
            stderr.WriteLine("Run 'dwarfsmith --help' for usage.");
            return ExitCodes.Usage;
        }
        return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
