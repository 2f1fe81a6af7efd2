namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// One decoded attribute as it is encoded: name, form (DW_FORM_indirect already followed), the
/// section offset of its value and the raw value. Resolve strings, addresses, references and lists
/// through the <see cref="Unit"/>.
/// </summary>
public readonly struct AttributeValue
{
    private readonly ReadOnlyMemory<byte> _data;

    public AttributeValue(DwAt name, DwForm form, long offset, ulong value, ReadOnlyMemory<byte> data)
    {
        Name = name;
        Form = form;
        Offset = offset;
        Value = value;
        _data = data;
    }

    public DwAt Name { get; }

    public DwForm Form { get; }

    /// <summary>Offset of the value's first byte in its section (.debug_info or .debug_types).</summary>
    public long Offset { get; }

    /// <summary>
    /// The raw number: constants, flags, addresses (not indexes resolved), indexes, section offsets,
    /// unit-relative references, type signatures; a block's length; an inline string's section offset.
    /// </summary>
    public ulong Value { get; }

    /// <summary><see cref="Value"/> as signed (DW_FORM_sdata, DW_FORM_implicit_const).</summary>
    public long SignedValue => (long)Value;

    /// <summary>Bytes of a block, exprloc, data16 or inline string (without the NUL).</summary>
    public ReadOnlySpan<byte> Bytes => _data.Span;

    public ReadOnlyMemory<byte> Memory => _data;

    public bool IsString => Forms.IsString(Form);

    public bool IsReference => Forms.IsReference(Form);

    public bool IsAddress => Forms.IsAddress(Form);

    public bool IsBlock => Forms.IsBlock(Form);

    public bool IsConstant => Forms.IsConstant(Form);

    public bool IsFlag => Form is DwForm.DW_FORM_flag or DwForm.DW_FORM_flag_present;

    public override string ToString() => $"{Name} [{Form}] 0x{Value:X}";
}
