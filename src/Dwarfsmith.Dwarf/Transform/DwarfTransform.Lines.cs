using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>
    /// Copies a line program's header (a version change takes the output unit's version; the
    /// visitor adjusts file tables in <see cref="DwarfVisitor.VisitLineProgramHeader"/>), then
    /// translates its rows, here or on the line worker.
    /// </summary>
    private Writing.LineProgram TranslateLineProgram(UnitState state, ulong offset)
    {
        var unit = state.Input;
        var input = unit.Context.ReadLineProgram(offset, unit.AddressSize);
        ushort version = state.Output.Version == unit.Version ? (ushort)input.Version : state.Output.Version;
        var output = new Writing.LineProgram(version, state.Output.AddressSize, input.OffsetSize == 8 ? DwarfFormat.Dwarf64 : DwarfFormat.Dwarf32)
        {
            MinimumInstructionLength = input.MinimumInstructionLength,
            MaximumOperationsPerInstruction = input.MaximumOperationsPerInstruction,
            DefaultIsStmt = input.DefaultIsStmt,
            LineBase = input.LineBase,
            LineRange = input.LineRange,
            OpcodeBase = Math.Max(input.OpcodeBase, (byte)10),
        };
        foreach (var format in input.FileEntryFormat)
        {
            switch (format.ContentType)
            {
                case DwLnct.DW_LNCT_path when format.Form is DwForm.DW_FORM_string or DwForm.DW_FORM_strp or DwForm.DW_FORM_line_strp:
                    output.PathForm = format.Form;
                    break;
                case DwLnct.DW_LNCT_MD5:
                    output.HasMd5 = true;
                    break;
                case DwLnct.DW_LNCT_timestamp or DwLnct.DW_LNCT_size:
                    output.HasTimestampAndSize = true;
                    break;
            }
        }

        foreach (var directory in input.Directories)
            output.Directories.Add(directory.Path);
        foreach (var file in input.Files)
            output.Files.Add(new LineFile(file.Path, file.DirectoryIndex) { Timestamp = file.Timestamp, Size = file.Size, Md5 = file.Md5 });
        Visitor.VisitLineProgramHeader(input, output);

        // Sequences are encoded as they come: a program's output rows are never all in memory. The
        // header is final here (the encoder checks that it stays so), and the rows may be translated
        // on the worker: nothing in them depends on the walk.
        var encoder = output.StartEncoding((int)Math.Min(input.UnitLength, int.MaxValue / 2));
        if (_linesOnWorker)
        {
            FlushLocationLists(); // lists gathered before this program go first, as the walk met them
            _workerQueue!.Enqueue(() => TranslateLineRows(input, encoder, unit, offset, _worker!));
        }
        else
            TranslateLineRows(input, encoder, unit, offset, _walk);

        return output;
    }

    /// <summary>
    /// Translates a program's sequences: tombstoned ones verbatim, the others through the visitor.
    /// Rows are read one sequence at a time into the thread's buffer, so a program's rows are never
    /// all in memory. Tombstoned sequences are copied, their tombstone the output's.
    /// </summary>
    private static void TranslateLineRows(Reading.LineProgram input, Writing.LineSequenceEncoder encoder, Unit unit, ulong offset, PassThread thread)
    {
        thread.Context = MappingContext.ForLineProgram(unit, offset);
        int outputSize = encoder.AddressSize;
        var rows = thread.Rows;
        rows.Clear();
        var sink = thread.Lines;
        sink.Start(encoder);
        var visitor = thread.Visitor;
        var cursor = input.Rows();
        ulong low = 0;
        while (cursor.MoveNext())
        {
            rows.Add(cursor.Current);
            if (!cursor.Current.EndSequence)
                continue;
            low = rows[0].Address;
            var sequence = new Reading.LineSequence(0, rows.Count, low, cursor.Current.Address, Tombstones.IsTombstone(low, input.AddressSize, input.ZeroIsTombstone));
            var view = new LineSequenceInput(input, rows, sequence);
            if (sequence.IsTombstone)
            {
                encoder.Begin(Dead(view.Rows.Length > 0 ? view.Rows[0].Address : sequence.HighAddress));
                foreach (ref readonly var row in view.Rows)
                    encoder.Add(LineSequenceSink.Convert(row, Dead(row.Address)));
                encoder.End(Dead(sequence.HighAddress));
            }
            else
            {
                visitor.VisitLineSequence(view, sink);
                sink.EndAtMappedEnd(view); // a visitor that left its last sequence open
            }

            rows.Clear();
        }

        // At another address size a dead sequence's rows all sit at the output's tombstone: past
        // all-ones of 8 bytes there is no address to advance to, and wrapping round to low
        // addresses would make them look live.
        ulong Dead(ulong address) =>
            outputSize == input.AddressSize || low == 0 ? address : Tombstones.Resize(low, input.AddressSize, outputSize);
    }
}
