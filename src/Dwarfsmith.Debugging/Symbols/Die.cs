using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Debugging.Symbols;

/// <summary>
/// One debugging information entry, owned: its tag, attributes and children, with a link to its
/// parent. A debugger looks at the same few entries (the scopes around a pc, their variables and
/// types) many times, which the forward-only <see cref="EntryCursor"/> does not serve.
/// </summary>
public sealed class Die
{
    private readonly AttributeValue[] _attributes;

    internal Die(Unit unit, long offset, DwTag tag, AttributeValue[] attributes, Die? parent)
    {
        Unit = unit;
        Offset = offset;
        Tag = tag;
        _attributes = attributes;
        Parent = parent;
    }

    public Unit Unit { get; }

    /// <summary>Section offset in .debug_info.</summary>
    public long Offset { get; }

    public DwTag Tag { get; }

    public Die? Parent { get; }

    public List<Die> Children { get; } = [];

    public ReadOnlySpan<AttributeValue> Attributes => _attributes;

    public bool TryGet(DwAt name, out AttributeValue value)
    {
        foreach (var a in _attributes)
        {
            if (a.Name == name)
            {
                value = a;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool Has(DwAt name) => TryGet(name, out _);

    public string? Name => TryGet(DwAt.DW_AT_name, out var a) ? Unit.GetString(a) : null;

    /// <summary>An unsigned constant attribute, or null.</summary>
    public ulong? Constant(DwAt name) => TryGet(name, out var a) && a.IsConstant ? a.Value : null;

    public bool Flag(DwAt name) => TryGet(name, out var a) && a.IsFlag && (a.Form == DwForm.DW_FORM_flag_present || a.Value != 0);

    public override string ToString() => $"0x{Offset:X8}: {Tag} {Name}";
}
