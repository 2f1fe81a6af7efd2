using System.Globalization;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>Compares every line program of .debug_line with llvm-dwarfdump's <c>--debug-line</c>.</summary>
internal static class LineComparer
{
    public static void Compare(DwarfContext context, string llvmText, ComparisonStats stats)
    {
        var tables = LlvmDump.ParseLine(llvmText);
        foreach (var t in tables)
        {
            LineProgram program;
            try
            {
                program = context.ReadLineProgram((ulong)t.Offset, context.Sections.AddressSize);
            }
            catch (DwarfFormatException e)
            {
                stats.Fail($"line program 0x{t.Offset:X}: {e.Message}");
                continue;
            }

            CheckHeader(t, "version", program.Version.ToString(CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "min_inst_length", program.MinimumInstructionLength.ToString(CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "max_ops_per_inst", program.MaximumOperationsPerInstruction.ToString(CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "default_is_stmt", program.DefaultIsStmt ? "1" : "0", stats);
            CheckHeader(t, "line_base", program.LineBase.ToString(CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "line_range", program.LineRange.ToString(CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "opcode_base", program.OpcodeBase.ToString(CultureInfo.InvariantCulture), stats);
            var width = program.OffsetSize * 2;
            CheckHeader(t, "total_length", "0x" + program.UnitLength.ToString("x" + width, CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "prologue_length", "0x" + program.HeaderLength.ToString("x" + width, CultureInfo.InvariantCulture), stats);
            CheckHeader(t, "format", program.OffsetSize == 8 ? "DWARF64" : "DWARF32", stats);
            var dirs = program.Directories.Select(d => "\"" + d.Path + "\"").ToList();
            if (!dirs.SequenceEqual(t.Directories))
                stats.Fail($"line 0x{t.Offset:X}: directories {string.Join(",", dirs)} vs {string.Join(",", t.Directories)}");
            var files = program.Files.Select(f => "\"" + f.Path + "\"").ToList();
            if (!files.SequenceEqual(t.FileNames))
                stats.Fail($"line 0x{t.Offset:X}: files {string.Join(",", files)} vs {string.Join(",", t.FileNames)}");

            // llvm-dwarfdump drops sequences that start at the -1 tombstone.
            var all = program.ReadRows();
            var max = Tombstones.MaxAddress(program.AddressSize);
            var rows = program.Sequences(all).Where(q => q.LowAddress != max).SelectMany(q => all.Skip(q.Start).Take(q.Count)).ToList();
            if (rows.Count != t.Rows.Count)
                stats.Fail($"line 0x{t.Offset:X}: {rows.Count} rows, llvm {t.Rows.Count}");
            for (var i = 0; i < Math.Min(rows.Count, t.Rows.Count); i++)
            {
                var r = rows[i];
                var l = t.Rows[i];
                stats.LineRows++;
                var flags = string.Join(' ', new[]
                {
                    r.IsStmt ? "is_stmt" : null, r.BasicBlock ? "basic_block" : null, r.EndSequence ? "end_sequence" : null,
                    r.PrologueEnd ? "prologue_end" : null, r.EpilogueBegin ? "epilogue_begin" : null,
                }.Where(x => x is not null));
                if (r.Address != l.Address || r.Line != l.Line || r.Column != l.Column || r.File != l.File || r.Isa != l.Isa
                    || r.Discriminator != l.Discriminator || r.OpIndex != l.OpIndex || flags != l.Flags)
                {
                    stats.Fail($"line 0x{t.Offset:X} row {i}: reader {r}, llvm {l}");
                    break;
                }
            }

        }

        // Every unit's stmt_list names one of the tables llvm printed.
        var offsets = tables.Select(t => t.Offset).ToHashSet();
        foreach (var unit in context.Units)
        {
            if (unit.StmtList is { } s && !offsets.Contains((long)s))
                stats.Fail($"unit 0x{unit.Offset:X}: stmt_list 0x{s:X} is not a table llvm printed");
        }
    }

    private static void CheckHeader(LlvmLineTable t, string key, string value, ComparisonStats stats)
    {
        if (t.Header.TryGetValue(key, out var llvm) && llvm != value)
            stats.Fail($"line 0x{t.Offset:X}: {key} {value}, llvm {llvm}");
    }
}
