using System.CommandLine;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Tools;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith dwarf dump FILE [--info] [--line] [--loc] [--ranges] [--macro] [--json]</c>: a wasm module's or ELF file's DWARF.</summary>
public static class DwarfCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "A .wasm module or an ELF file" };
        var info = new Option<bool>("--info") { Description = "Units and entries with their attributes (.debug_info)" };
        var line = new Option<bool>("--line") { Description = "Line tables, row by row (.debug_line)" };
        var loc = new Option<bool>("--loc") { Description = "Location lists, resolved to addresses" };
        var ranges = new Option<bool>("--ranges") { Description = "Range lists, resolved to addresses" };
        var macro = new Option<bool>("--macro") { Description = "Macro information (.debug_macro, .debug_macinfo), with #include files named" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var dump = new Command("dump", "Print the DWARF as Dwarfsmith reads it (default: --info --line)") { file, info, line, loc, ranges, macro, json };
        dump.SetAction(parse => console.Guard(() =>
        {
            string path = parse.GetValue(file)!;
            bool any = parse.GetValue(info) || parse.GetValue(line) || parse.GetValue(loc) || parse.GetValue(ranges) || parse.GetValue(macro);
            var selection = any
                ? new DumpSelection(parse.GetValue(info), parse.GetValue(line), parse.GetValue(loc), parse.GetValue(ranges), parse.GetValue(macro))
                : new DumpSelection(Info: true, Line: true, Locations: true, Ranges: true, Macros: true);
            var bytes = CliConsole.ReadBytes(path);
            CliConsole.WithPath(path, () =>
            {
                var sections = DebugInputs.Open(bytes, path, out var debugFile);
                if (debugFile is not null)
                {
                    console.Error.WriteLine(debugFile.BuildIdMatches
                        ? $"dwarfsmith: debug information from {debugFile.Path} (external_debug_info; build ids match)"
                        : $"dwarfsmith: warning: debug information from {debugFile.Path} (external_debug_info), whose build id does not match the module's");
                }

                var printer = new DwarfDumpPrinter(new DwarfContext(sections), selection);
                if (parse.GetValue(json))
                {
                    using var stdout = new MemoryStream();
                    printer.WriteJson(stdout);
                    console.Out.Write(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
                    console.Out.WriteLine();
                }
                else
                {
                    printer.WriteText(console.Out);
                }

                return 0;
            });
            return ExitCodes.Ok;
        }));
        return new Command("dwarf", "Inspect DWARF debugging information") { dump };
    }
}
