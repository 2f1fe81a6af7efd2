using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// A rule of the comparison, by construction rather than by loosening it: the native build's
/// statement rows that are one unconditional jump and whose line and column no row of the module
/// has. They are a loop body's closing brace (the jump back) and a loop's exit (the jump out), which
/// the wasm code generator folds into the structure — the code falls through — so that no wasm engine
/// can ever stop there, while a native debugger's <c>step</c> does. The native side steps on past
/// them, as it would without that row. The native build must be linked at fixed addresses
/// (<c>-no-pie</c>), which are where the debugger stops.
/// </summary>
public static class UnsteppableStatements
{
    /// <summary>The addresses of such rows of <paramref name="sourceFileName"/> (a file name) in <paramref name="nativeExecutable"/>.</summary>
    public static HashSet<ulong> Find(string nativeExecutable, string wasmModule, string sourceFileName)
    {
        var moduleRows = SourceRows(new DwarfContext(DwarfContainers.FromWasm(WasmModule.ReadFile(wasmModule))), sourceFileName)
            .Select(row => (row.Line, row.Column)).ToHashSet();
        var elf = ElfFile.Read(File.ReadAllBytes(nativeExecutable));
        var rows = SourceRows(new DwarfContext(DwarfContainers.FromElf(elf)), sourceFileName, withEnds: true).ToList();
        var lacking = new HashSet<ulong>();
        for (int i = 0; i + 1 < rows.Count; i++)
        {
            var row = rows[i];
            if (row.IsStmt && !row.EndSequence && !moduleRows.Contains((row.Line, row.Column))
                && IsOneJump(elf, row.Address, rows[i + 1].Address))
            {
                lacking.Add(row.Address);
            }
        }

        return lacking;
    }

    /// <summary>Whether the x86 code in [start, end) is one unconditional jump (jmp rel8 or rel32).</summary>
    private static bool IsOneJump(ElfFile elf, ulong start, ulong end)
    {
        var text = elf.Sections.FirstOrDefault(s => s.Address <= start && end <= s.Address + (ulong)s.Data.Length && s.Address != 0);
        if (text is null || end <= start)
            return false;
        var code = text.Data.Span[(int)(start - text.Address)..(int)(end - text.Address)];
        return code is [0xEB, _] or [0xE9, _, _, _, _];
    }

    /// <summary>
    /// The line table rows of every unit that are in <paramref name="source"/> (a file name), with
    /// each sequence's end row too when <paramref name="withEnds"/> (where the last row's code ends).
    /// </summary>
    private static IEnumerable<LineRow> SourceRows(DwarfContext context, string source, bool withEnds = false)
    {
        foreach (var unit in context.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            foreach (var row in program.ReadRows())
            {
                // DWARF 5 numbers files from 0, earlier versions from 1.
                long file = program.Version >= 5 ? (long)row.File : (long)row.File - 1;
                if ((withEnds || !row.EndSequence) && file >= 0 && file < program.Files.Count && Path.GetFileName(program.Files[(int)file].Path) == source)
                    yield return row;
            }
        }
    }
}
