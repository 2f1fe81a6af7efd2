using System.CommandLine;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Tools;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith rewrite IN -o OUT [--dwarf-version 4|5]</c>: the module's DWARF through the transformation pass.</summary>
public static class RewriteCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("module") { Description = "The .wasm file whose DWARF to rewrite (never modified)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the rewritten module", Required = true };
        var version = new Option<int?>("--dwarf-version") { Description = "Convert every unit and line table to DWARF 4 or 5 (default: keep each unit's version)" };
        var command = new Command("rewrite", "Rewrite the module's DWARF through the transformation pass (the identity unless an option changes it)")
        {
            input, output, version,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            int? targetVersion = parse.GetValue(version);
            if (targetVersion is not (null or 4 or 5))
                throw new UsageException($"--dwarf-version must be 4 or 5, not {targetVersion}");
            DwarfVisitor visitor = targetVersion is { } v ? new VersionConversionVisitor((ushort)v) : DwarfVisitor.Identity;
            var module = CliConsole.ReadModule(inPath);
            long debugBytes = module.DebugSize;
            WasmRewrite result;
            using (GcBudget.ForDwarf(module))
                result = CliConsole.WithPath(inPath, () => WasmDwarfRewriter.Rewrite(module, visitor));
            CliConsole.WriteOutput(outPath, result.Builder.WriteTo);
            foreach (string warning in result.Dwarf.Warnings)
                console.Error.WriteLine($"dwarfsmith: warning: {warning}");
            long after = result.Dwarf.Sections.TotalSize;
            console.Out.WriteLine($"{outPath}: DWARF {debugBytes:N0} -> {after:N0} bytes, module {module.Bytes.Length:N0} -> {result.Builder.EncodedSize:N0} bytes");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
