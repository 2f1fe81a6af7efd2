using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Debugging.Symbols;

/// <summary>A source position: the file as the line table names it, line and column (0 = unknown).</summary>
public readonly record struct SourcePosition(string? File, ulong Line, ulong Column);

/// <summary>
/// A unit's line table for pc lookups: the row in effect at a pc is the last row at or before it
/// within a sequence (as llvm-symbolizer takes it), ignoring sequences of dead code.
/// </summary>
public sealed class LineTable
{
    private readonly LineProgram _program;
    private readonly LineRow[] _rows;
    private readonly List<LineSequence> _sequences;
    private readonly string? _compilationDirectory;

    private LineTable(LineProgram program, string? compilationDirectory)
    {
        _program = program;
        _compilationDirectory = compilationDirectory;
        var rows = program.ReadRows();
        _rows = [.. rows];
        _sequences = program.Sequences(rows);
    }

    public static LineTable? For(Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.ReadLineProgram() is { } program ? new LineTable(program, unit.CompilationDirectory) : null;
    }

    public bool TryFind(ulong pc, out SourcePosition position)
    {
        foreach (var sequence in _sequences)
        {
            if (sequence.IsTombstone || pc < sequence.LowAddress || pc >= sequence.HighAddress)
                continue;
            int found = -1;
            for (int i = sequence.Start; i < sequence.Start + sequence.Count - 1; i++)
            {
                if (_rows[i].Address <= pc)
                    found = i;
                else
                    break;
            }

            if (found >= 0)
            {
                var row = _rows[found];
                position = new SourcePosition(FileName(row.File), row.Line, row.Column);
                return true;
            }
        }

        position = default;
        return false;
    }

    /// <summary>
    /// A file register value's path as gdb shows it: a relative name joined to its directory entry,
    /// and a relative directory to the unit's compilation directory, so that DWARF 4 tables (whose
    /// directory 0 is the compilation directory, unlisted) and DWARF 5 tables name a file the same way.
    /// </summary>
    public string? FileName(ulong file)
    {
        if (!_program.TryGetFile(file, out var entry))
            return null;
        if (Path.IsPathRooted(entry.Path))
            return entry.Path;
        var directory = _program.TryGetDirectory(entry.DirectoryIndex, out var listed) && listed.Path.Length > 0 ? listed.Path : "";
        if (!Path.IsPathRooted(directory) && !string.IsNullOrEmpty(_compilationDirectory))
            directory = Join(_compilationDirectory, directory);
        return directory.Length == 0 ? entry.Path : Join(directory, entry.Path);
    }

    private static string Join(string directory, string name) =>
        name.Length == 0 ? directory : directory.EndsWith('/') ? directory + name : directory + "/" + name;
}
