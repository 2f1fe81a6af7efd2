using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// What a visitor does with one input attribute: <see cref="Keep"/> it (translated by the pass),
/// <see cref="Write"/> something else in its place, or nothing (it is dropped).
/// </summary>
public sealed class AttributeWriter
{
    private readonly DwarfTransform _pass;
    private readonly PassThread _thread;
    private UnitState _state = null!;

    internal AttributeWriter(DwarfTransform pass, PassThread thread)
    {
        _pass = pass;
        _thread = thread;
    }

    /// <summary>The input entry (the cursor is on it).</summary>
    public EntryCursor Entry { get; private set; } = null!;

    /// <summary>The output entry the attribute goes to.</summary>
    public EntryBuilder Output { get; private set; } = null!;

    public Unit InputUnit => _state.Input;

    /// <summary>The attribute being visited.</summary>
    public Reading.AttributeValue Input { get; internal set; }

    internal PcPair Pc;

    internal void StartEntry(EntryCursor entry, EntryBuilder output, UnitState state)
    {
        Entry = entry;
        Output = output;
        _state = state;
        Pc = default;
    }

    /// <summary>Writes the pass's translation of the attribute.</summary>
    public void Keep() => _pass.TranslateAttribute(Input, this, _state);

    /// <summary>Writes an attribute of the visitor's making (any number of them).</summary>
    public void Write(DwAt name, Writing.AttributeValue value) => Output.Add(name, value);

    /// <summary>Adds a location list to the output unit, for a <see cref="Writing.AttributeValue.LocationList"/> value.</summary>
    public LocationListId AddLocationList(LocationList list) => Output.Unit.AddLocationList(list);

    /// <summary>Adds a range list to the output unit, for a <see cref="Writing.AttributeValue.RangeList"/> value.</summary>
    public RangeListId AddRangeList(RangeList list) => Output.Unit.AddRangeList(list);

    /// <summary>
    /// Rewrites an expression of the input unit through the visitor (e.g. to put it in a location
    /// list); pass its references on with the bytes. Empty when the visitor left it out.
    /// </summary>
    public (ReadOnlyMemory<byte> Bytes, IReadOnlyList<ExpressionReference>? References) RewriteExpression(ReadOnlyMemory<byte> expression)
    {
        _pass.SetContext(this, Input.Name);
        return (_pass.RewriteExpression(expression, _state, _thread, out var references), references);
    }
}

/// <summary>An entry's low_pc/high_pc pair, mapped once for both attributes.</summary>
internal struct PcPair
{
    public bool Resolved;
    public bool HasPair;
    public bool IsTombstone;
    public ulong Low;
    public ulong High;
    public Writing.AddressRange[]? Mapped;
}
