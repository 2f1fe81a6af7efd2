using System.CommandLine;
using Dwarfsmith.Aot.NativeDwarf;

namespace Dwarfsmith.Cli.Commands;

/// <summary>
/// <c>dwarfsmith lldb [-b] [-o CMD]… EXE [-- ARGS…]</c>: lldb-22 on an <c>aot -g</c> executable with
/// Dwarfsmith's extension loaded (<see cref="LldbExtension"/>: the program's 4-byte pointers, which
/// lldb alone reads as 8), in the manner of rust-lldb. The exit code is lldb's.
/// </summary>
public static class LldbCommand
{
    /// <summary>Where lldb-22 is looked for when <c>--lldb</c> is not given: PATH, then Debian's LLVM folder.</summary>
    private static readonly string[] s_lldbCandidates = ["lldb-22", "/usr/lib/llvm-22/bin/lldb"];

    public static Command Create(CliConsole console)
    {
        var executable = new Argument<string>("executable") { Description = "An executable from `dwarfsmith aot -g`" };
        var arguments = new Argument<string[]>("args") { Description = "Arguments for the program (after --)", Arity = ArgumentArity.ZeroOrMore };
        var batch = new Option<bool>("--batch", "-b") { Description = "Run the -o commands and exit (lldb's --batch)" };
        var commands = new Option<string[]>("--one-line", "-o") { Description = "An lldb command to run once the executable is loaded (repeatable)" };
        var lldbPath = new Option<string?>("--lldb") { Description = "The lldb to run (default: lldb-22)" };
        var command = new Command("lldb", "Debug an `aot -g` executable in lldb-22 with Dwarfsmith's extension (wasm32 pointers)")
        {
            executable, arguments, batch, commands, lldbPath,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(executable)!;
            if (!File.Exists(path))
                throw new MissingInputException($"{path}: no such file");
            var lldb = parse.GetValue(lldbPath) ?? s_lldbCandidates.Select(FindProgram).FirstOrDefault(found => found is not null);
            if (lldb is null || !File.Exists(lldb))
            {
                console.Error.WriteLine("dwarfsmith: lldb-22 was not found (install lldb-22 and python3-lldb-22, or pass --lldb)");
                return ExitCodes.InternalError;
            }

            var extension = LldbExtension.Install(ExtensionDirectory());
            var lldbArguments = new List<string>();
            if (parse.GetValue(batch))
                lldbArguments.Add("--batch");
            // Before the file, so that its formatters are in place when the target's first values show.
            lldbArguments.AddRange(["-O", $"command script import {Quoted(extension)}"]);
            foreach (var line in parse.GetValue(commands) ?? [])
                lldbArguments.AddRange(["-o", line]);
            lldbArguments.AddRange(["--", path, .. parse.GetValue(arguments) ?? []]);
            return RunCommand.Execute(console, lldb, lldbArguments);
        }));
        return command;
    }

    /// <summary>
    /// Beside the aot cache, in the user's own cache folder: lldb runs the files it imports, so they
    /// must not lie where another user could have put them first (a shared /tmp).
    /// </summary>
    private static string ExtensionDirectory() =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(RunCommand.CacheDirectory()))!, "lldb");

    /// <summary>A path as one lldb command argument.</summary>
    private static string Quoted(string path) => "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string? FindProgram(string name)
    {
        if (Path.IsPathRooted(name))
            return File.Exists(name) ? name : null;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
