using System.CommandLine;
using Dwarfsmith.Tools.PostLink;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith compact IN -o OUT [--debug-file F [--debug-url URL]]</c>: minimal LEBs, DWARF kept and remapped.</summary>
public static class CompactCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("module") { Description = "A linked .wasm module (never modified)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the compacted module", Required = true };
        var debugFile = new Option<string?>("--debug-file") { Description = "Also split: write the debug information to this file" };
        var debugUrl = new Option<string?>("--debug-url") { Description = "The external_debug_info link (default: the debug file's path relative to the output)" };
        var command = new Command("compact", "Re-encode padded LEBs at minimal width (like wasm-ld --compress-relocations) and remap the DWARF")
        {
            input, output, debugFile, debugUrl,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string? debugPath = parse.GetValue(debugFile), url = parse.GetValue(debugUrl);
            if (url is not null && debugPath is null)
                throw new UsageException("--debug-url needs --debug-file");
            var module = CliConsole.ReadModule(inPath);
            CompactedModule compacted;
            using (GcBudget.ForDwarf(module))
                compacted = CliConsole.WithPath(inPath, () => ModuleCompactor.Build(module));
            foreach (string warning in compacted.Dwarf?.Warnings ?? [])
                console.Error.WriteLine($"dwarfsmith: warning: {warning}");
            long codeBefore = module.CodeSection?.PayloadSize ?? 0;
            console.Out.WriteLine($"code section: {codeBefore:N0} -> {compacted.Code.Payload.Length:N0} bytes ({compacted.Code.InstructionCount:N0} instructions)");
            if (debugPath is null)
            {
                long size = 0;
                CliConsole.WriteOutput(outPath, stream => size = ModuleCompactor.WriteTo(compacted, module, stream));
                console.Out.WriteLine($"{outPath}: {module.Bytes.Length:N0} -> {size:N0} bytes");
                return ExitCodes.Ok;
            }
            string link = url ?? DebugInfoSplitter.RelativeLink(outPath, debugPath);
            var split = DebugInfoSplitter.Split(compacted.Builder, module.BuildId?.Length, link);
            SplitCommand.WriteSplit(console, module, outPath, debugPath, link, split);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
