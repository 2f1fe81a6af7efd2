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
/// <see cref="EndSequence"/> closes it; one input sequence may so become several (or none). A
/// sequence's rows may come in any order (a visitor that maps one input row to several output
/// addresses produces them out of order): each sequence is written sorted by address, stably, so
/// rows at one address keep the order they were added in.
/// </summary>
public sealed class LineSequenceSink
{
    private readonly PassThread _thread;
    private readonly ValueList<WriteRow> _rows = new(256);
    private Writing.LineSequenceEncoder _encoder = null!;
    private bool _unordered;
    private ulong _highestRowAddress;

    /// <summary>A sink of its own per thread of the pass: it maps through that thread's visitor and sinks.</summary>
    internal LineSequenceSink(PassThread thread) => _thread = thread;

    /// <summary>Starts a program: its sequences are encoded as each ends, not kept once encoded.</summary>
    internal void Start(Writing.LineSequenceEncoder encoder)
    {
        _encoder = encoder;
        _rows.Clear();
    }

    /// <summary>Appends a row to the current sequence (starting one if needed).</summary>
    public void AddRow(in WriteRow row)
    {
        if (_rows.Count == 0)
        {
            _unordered = false;
            _highestRowAddress = row.Address;
        }
        else if (row.Address < _highestRowAddress)
        {
            _unordered = true;
        }
        else
        {
            _highestRowAddress = row.Address;
        }

        _rows.Add(row);
    }

    /// <summary>
    /// Closes the current sequence at <paramref name="endAddress"/> (exclusive; raised to the highest
    /// row's address when below it); without rows, nothing is written.
    /// </summary>
    public void EndSequence(ulong endAddress)
    {
        if (_rows.Count == 0)
            return;
        var rows = _rows.AsSpan();
        if (_unordered)
            SortStably(rows);
        _encoder.Begin(rows[0].Address);
        foreach (ref readonly var row in rows)
            _encoder.Add(row);
        _encoder.End(Math.Max(endAddress, _highestRowAddress));
        _rows.Clear();
    }

    /// <summary>Sorts rows by address; rows at one address keep their order.</summary>
    private static void SortStably(Span<WriteRow> rows)
    {
        var keys = new (ulong Address, int Order)[rows.Length];
        for (int i = 0; i < rows.Length; i++)
            keys[i] = (rows[i].Address, i);
        var copy = rows.ToArray();
        Array.Sort(keys);
        for (int i = 0; i < rows.Length; i++)
            rows[i] = copy[keys[i].Order];
    }

    /// <summary>The line program being translated (<see cref="MappingContext.IsLineRow"/>).</summary>
    public MappingContext Context => _thread.Context;

    /// <summary>True while a sequence has rows and no end.</summary>
    public bool IsOpen => _rows.Count > 0;

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
        if (_rows.Count == 0)
            return;
        var mapped = _thread.Map(sequence.EndAddress, AddressUse.CodeEnd);
        EndSequence(mapped.TryGetHighest(out ulong end) ? end : _highestRowAddress + 1);
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
