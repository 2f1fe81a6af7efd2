using System.CommandLine;

namespace Dwarfsmith.Cli;

/// <summary>Builds the command tree and maps outcomes to the documented exit codes.</summary>
public static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Dwarfsmith: DWARF-aware tools for WebAssembly");
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
                stderr.WriteLine($"dwarfsmith: {error.Message}");
            return ExitCodes.Usage;
        }
        _ = stdout;
        return result.Invoke();
    }
}
