using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// What one thread of the pass works with: the visitor whose hooks it calls, and the sinks,
/// writers and buffers it reuses. The walk has one; the worker that translates line rows and
/// location lists beside it has its own, so that the two share nothing they write.
/// </summary>
internal sealed class PassThread
{
    private readonly DwarfTransform _pass;
    private readonly AddressSink _addresses = new();
    private readonly RangeSink _ranges = new();
    private readonly List<ExpressionWriter> _expressionWriters = [];
    private int _expressionDepth;

    public PassThread(DwarfTransform pass, DwarfVisitor visitor)
    {
        _pass = pass;
        Visitor = visitor;
        Locations = new LocationSink(pass, this);
        Lines = new LineSequenceSink(this);
    }

    public DwarfVisitor Visitor { get; }

    /// <summary>What the thread translates now (see <see cref="MappingContext"/>): set once per attribute, list or program.</summary>
    public MappingContext Context;

    public LocationSink Locations { get; }

    public LineSequenceSink Lines { get; }

    /// <summary>Rows of the line sequence being translated.</summary>
    public ValueList<Reading.LineRow> Rows { get; } = new(1024);

    /// <summary>Entries of the location list being translated, before the list is made at its exact size.</summary>
    public ValueList<Writing.LocationListEntry> LocationEntries { get; } = new(16);

    /// <summary>Maps one address through the visitor; the sink is reused by the next call.</summary>
    public AddressSink Map(ulong address, AddressUse use)
    {
        _addresses.Clear();
        _addresses.Context = Context;
        Visitor.MapAddress(address, use, _addresses);
        return _addresses;
    }

    /// <summary>Maps one range through the visitor; the sink is reused by the next call.</summary>
    public RangeSink MapRange(ulong begin, ulong end)
    {
        _ranges.Clear();
        _ranges.Context = Context;
        Visitor.MapRange(begin, end, _ranges);
        return _ranges;
    }

    /// <summary>An expression writer for one (possibly nested) expression; give it back with <see cref="ReturnExpressionWriter"/>.</summary>
    public ExpressionWriter RentExpressionWriter()
    {
        if (_expressionDepth == _expressionWriters.Count)
            _expressionWriters.Add(new ExpressionWriter(_pass, this));
        return _expressionWriters[_expressionDepth++];
    }

    public void ReturnExpressionWriter() => _expressionDepth--;
}
