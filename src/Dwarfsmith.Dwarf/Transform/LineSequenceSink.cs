using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using WriteRow = Dwarfsmith.Dwarf.Writing.LineRow;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>One input line sequence: its rows, the last being the end_sequence row.</summary>
public readonly struct LineSequenceInput
{
    private readonly ValueList<LineRow> _rows;

    internal LineSequenceInput(Reading.LineProgram program, ValueList<LineRow> rows, LineSequence sequence)
    {
        Program = program;
        _rows = rows;
        Sequence = sequence;
    }

    public Reading.LineProgram Program { get; }

    public LineSequence Sequence { get; }

    /// <summary>The rows that are not the end_sequence row.</summary>
    public ReadOnlySpan<LineRow> Rows => _rows.AsSpan().Slice(Sequence.Start, Sequence.Count - 1);

    /// <summary>The end_sequence row's address: the first byte after the sequence.</summary>
    public ulong EndAddress => Sequence.HighAddress;
}

/// <summary>
/// Receives the rows of output sequences. Rows go into the current sequence until
/// <see cref="EndSequence"/> closes it; one input sequence may so become several (or none).
/// </summary>
public sealed class LineSequenceSink
{
    private readonly PassThread _thread;
    private Writing.LineSequenceEncoder _encoder = null!;
    private bool _open;
    private ulong _lastRowAddress;

    /// <summary>A sink of its own per thread of the pass: it maps through that thread's visitor and sinks.</summary>
    internal LineSequenceSink(PassThread thread) => _thread = thread;

    /// <summary>Starts a program: its sequences are encoded as they are written, not kept as rows.</summary>
    internal void Start(Writing.LineSequenceEncoder encoder)
    {
        _encoder = encoder;
        _open = false;
    }

    /// <summary>Appends a row to the current sequence (starting one if needed).</summary>
    public void AddRow(in WriteRow row)
    {
        if (!_open)
        {
            _encoder.Begin(row.Address);
            _open = true;
        }

        _encoder.Add(row);
        _lastRowAddress = row.Address;
    }

    /// <summary>Closes the current sequence at <paramref name="endAddress"/> (exclusive); without rows, nothing is written.</summary>
    public void EndSequence(ulong endAddress)
    {
        if (!_open)
            return;
        _encoder.End(endAddress);
        _open = false;
    }

    /// <summary>True while a sequence has rows and no end.</summary>
    public bool IsOpen => _open;

    /// <summary>The default for a sequence: each row through <see cref="DwarfVisitor.VisitLineRow"/>, then the mapped end.</summary>
    public void Keep(LineSequenceInput sequence)
    {
        var visitor = _thread.Visitor;
        foreach (ref readonly var row in sequence.Rows)
            visitor.VisitLineRow(row, this);
        EndAtMappedEnd(sequence);
    }

    /// <summary>Closes an open sequence at the input sequence's mapped end (never before its last row).</summary>
    internal void EndAtMappedEnd(LineSequenceInput sequence)
    {
        if (!_open)
            return;
        var mapped = _thread.Map(sequence.EndAddress, AddressUse.CodeEnd);
        EndSequence(mapped.TryGetHighest(out ulong end) ? Math.Max(end, _lastRowAddress) : _lastRowAddress + 1);
    }

    /// <summary>The default for a row: added at every address its address maps to.</summary>
    public void Keep(in LineRow row)
    {
        var mapped = _thread.Map(row.Address, AddressUse.Code);
        foreach (ulong address in mapped.Addresses)
            AddRow(Convert(row, address));
    }

    /// <summary>
    /// The write model's row for an input row, at <paramref name="address"/>. A file index, column or
    /// discriminator past 32 bits (or an ISA past 16) is more than the model holds: no producer writes
    /// one, so the input is treated as damaged.
    /// </summary>
    public static WriteRow Convert(in LineRow row, ulong address)
    {
        if (row.File > WriteRow.MaxNarrowValue || row.Column > WriteRow.MaxNarrowValue || row.Discriminator > WriteRow.MaxNarrowValue || row.Isa > WriteRow.MaxIsa)
        {
            throw new DwarfFormatException(
                $"line row (file {row.File}, column {row.Column}, discriminator {row.Discriminator}, ISA {row.Isa}) has a value past what the write model holds",
                DwarfSections.Line,
                row.OpcodeOffset);
        }

        return ToWriteRow(row, address);
    }

    private static WriteRow ToWriteRow(in LineRow row, ulong address) => new(address, row.File, row.Line, row.Column)
    {
        IsStmt = row.IsStmt,
        BasicBlock = row.BasicBlock,
        PrologueEnd = row.PrologueEnd,
        EpilogueBegin = row.EpilogueBegin,
        Isa = row.Isa,
        Discriminator = row.Discriminator,
    };
}
