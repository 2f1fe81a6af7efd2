using System.CommandLine;
using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.Debugging.Expressions;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Cli.Commands;

/// <summary>
/// <c>dwarfsmith coredump DUMP [--module M] [--frame N] [--json]</c>: a wasm core dump at the source
/// level; <c>dwarfsmith coredump DUMP print EXPR [--frame N]</c>: a C expression in a frame.
/// </summary>
public static class CoreDumpCommand
{
    public static Command Create(CliConsole console)
    {
        var dump = new Argument<string>("dump") { Description = "A WebAssembly core dump (tool-conventions Coredump.md)" };
        var module = new Option<string?>("--module") { Description = "The module the dump ran (default: the name in the dump, beside it)", Recursive = true };
        var frame = new Option<int?>("--frame") { Description = "Only this frame's variables (gdb's frame number); for print, the frame to evaluate in (default 0)", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text", Recursive = true };
        var expression = new Argument<string>("expression") { Description = "A C expression: names, ., ->, *, &, [i], parentheses, integers" };
        var print = new Command("print", "Evaluate a C expression in a frame of the dump") { expression };
        var command = new Command("coredump", "Show a wasm core dump's backtrace, variables and globals by the module's DWARF") { dump, module, frame, json, print };
        command.SetAction(parse => console.Guard(() =>
        {
            var session = Open(parse.GetValue(dump)!, parse.GetValue(module), console);
            var selected = parse.GetValue(frame);
            if (selected is { } n && (n < 0 || n >= session.FrameCount))
                throw new UsageException($"there is no frame {n} (the backtrace has {session.FrameCount})");
            var report = session.Report();
            if (parse.GetValue(json))
                CoreDumpPrinter.WriteJson(console.Out, report, selected);
            else
                CoreDumpPrinter.WriteText(console.Out, report, selected);
            return ExitCodes.Ok;
        }));
        print.SetAction(parse => console.Guard(() =>
        {
            var session = Open(parse.GetValue(dump)!, parse.GetValue(module), console);
            var text = parse.GetValue(expression)!;
            try
            {
                var value = session.Evaluate(text, parse.GetValue(frame) ?? 0);
                if (parse.GetValue(json))
                    CoreDumpPrinter.WriteJson(console.Out, text, value, session.Formatter);
                else
                    console.Out.WriteLine(session.Formatter.FormatTopLevel(value));
                return ExitCodes.Ok;
            }
            catch (ExpressionException ex)
            {
                console.Error.WriteLine($"dwarfsmith: {ex.Message}");
                return ExitCodes.Usage;
            }
        }));
        return command;
    }

    /// <summary>Reads the dump, finds the module and its DWARF, and opens a session; every failure becomes the documented exit code.</summary>
    private static CoreDumpSession Open(string dumpPath, string? modulePath, CliConsole console)
    {
        var bytes = CliConsole.ReadBytes(dumpPath);
        var dump = CliConsole.WithPath(dumpPath, () => CoreDumpReader.Read(bytes));
        var path = CoreDumpInputs.ModulePath(dumpPath, dump, modulePath);
        if (!File.Exists(path))
            throw new MissingInputException($"{path}: no such file (the module of {dumpPath}; name it with --module)");
        var module = CliConsole.ReadModule(path);
        DebugInfoChoice debug;
        try
        {
            debug = CliConsole.WithPath(path, () => CoreDumpInputs.DebugInfo(path, module));
        }
        catch (DebugInfoException ex)
        {
            throw new MismatchedInputException(ex.Message);
        }

        if (debug.Warning is { } warning)
            console.Error.WriteLine($"dwarfsmith: warning: {warning}");
        var debugPath = debug.DebugInfo?.Path ?? path;
        return CliConsole.WithPath(debugPath, () => new CoreDumpSession(dump, module, debug.DebugInfo?.Module, Path.GetFileName(path)));
    }
}
