using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>Receives the output entries of one input location-list entry (zero, one or many).</summary>
public sealed class LocationSink
{
    private readonly DwarfTransform _pass;
    private readonly PassThread _thread;
    private ValueList<Writing.LocationListEntry> _entries = null!;
    private UnitState _state = null!;

    internal LocationSink(DwarfTransform pass, PassThread thread)
    {
        _pass = pass;
        _thread = thread;
    }

    internal void Start(ValueList<Writing.LocationListEntry> entries, UnitState state)
    {
        _entries = entries;
        _state = state;
    }

    public Reading.Unit InputUnit => _state.Input;

    public UnitBuilder OutputUnit => _state.Output;

    /// <summary>The input entry and attribute that refer to the list.</summary>
    public MappingContext Context => _thread.Context;

    /// <summary>Adds an entry valid in [begin, end) (absolute addresses).</summary>
    public void Add(ulong begin, ulong end, ReadOnlyMemory<byte> expression, IReadOnlyList<ExpressionReference>? references = null) =>
        _entries.Add(new Writing.LocationListEntry(begin, end, expression) { References = references });

    /// <summary>Adds an entry valid in [begin, end) holding an expression of the visitor's building.</summary>
    public void Add(ulong begin, ulong end, in BuiltExpression expression) => _entries.Add(expression.At(begin, end));

    /// <summary>Adds a default location (DWARF 5): valid where no other entry is.</summary>
    public void AddDefault(ReadOnlyMemory<byte> expression, IReadOnlyList<ExpressionReference>? references = null) =>
        _entries.Add(new Writing.LocationListEntry(0, 0, expression, IsDefault: true) { References = references });

    /// <summary>Rewrites an expression of the input unit through the visitor (empty when the visitor left it out).</summary>
    public (ReadOnlyMemory<byte> Bytes, IReadOnlyList<ExpressionReference>? References) RewriteExpression(ReadOnlyMemory<byte> expression) =>
        (_pass.RewriteExpression(expression, _state, _thread, out var references), references);

    /// <summary>The default: the expression rewritten, valid in every range the entry's range maps to (nothing when the visitor left it out).</summary>
    public void Keep(in Reading.LocationListEntry entry)
    {
        var bytes = _pass.RewriteExpression(entry.Expression, _state, _thread, isAttribute: false, out var references, out _, out bool leftOut);
        if (leftOut)
            return;
        if (entry.IsDefault)
        {
            AddDefault(bytes, references);
            return;
        }

        foreach (var range in _thread.MapRange(entry.Begin, entry.End).Ranges)
            Add(range.Begin, range.End, bytes, references);
    }
}
