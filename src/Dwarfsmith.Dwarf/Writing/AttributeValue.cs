using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>The closed set of attribute value kinds of the write model.</summary>
public enum AttributeValueKind : byte
{
    /// <summary>A target address: DW_FORM_addr, or addrx in DWARF 5 when the unit indexes addresses.</summary>
    Address,

    /// <summary>An unsigned constant: the smallest data form that fits, or udata.</summary>
    Unsigned,

    /// <summary>A signed constant: sdata, or a fixed data form or implicit_const when pinned.</summary>
    Signed,

    /// <summary>A flag: flag_present for true (DWARF 4+), flag otherwise.</summary>
    Flag,

    /// <summary>A string for .debug_str (strp, or strx in DWARF 5), or inline when pinned to DW_FORM_string.</summary>
    String,

    /// <summary>A string for .debug_line_str (line_strp).</summary>
    LineString,

    /// <summary>Uninterpreted bytes: block1/2/4 or block.</summary>
    Block,

    /// <summary>A DWARF expression: exprloc (DWARF 4+) or a block form.</summary>
    Expression,

    /// <summary>A reference to an entry of the model: ref1/2/4/8 within its unit, ref_addr across units.</summary>
    Reference,

    /// <summary>The offset of a line program of the model in .debug_line.</summary>
    LineProgram,

    /// <summary>A range list of the unit: rnglistx or sec_offset (DWARF 5), sec_offset/data4/data8 before.</summary>
    RangeList,

    /// <summary>A location list of the unit: loclistx or sec_offset (DWARF 5), sec_offset/data4/data8 before.</summary>
    LocationList,

    /// <summary>An offset into a section the model does not own: sec_offset.</summary>
    SectionOffset,

    /// <summary>The offset of the unit's <see cref="UnitBuilder.Macros"/> in their section: sec_offset (data4/data8 before DWARF 4).</summary>
    Macros,

    /// <summary>16 bytes: data16.</summary>
    Data16,

    /// <summary>A type signature: ref_sig8.</summary>
    TypeSignature,

    /// <summary>A value kept with its exact form and bytes (unknown or vendor attributes).</summary>
    Raw,
}

/// <summary>
/// An attribute value of the write model. Values that go into other sections (strings, addresses,
/// lists, line programs, references) are resolved to offsets and indices at emission.
/// <see cref="Form"/> is 0 unless pinned, in which case the emitter uses exactly that form.
/// </summary>
/// <remarks>
/// A large program's model holds hundreds of thousands of values, so a value takes 32 bytes (and an
/// <see cref="Attribute"/> with its name too): an expression's references are not a field of their
/// own but travel with its bytes, in a <see cref="ReferencedExpression"/> that <see cref="Data"/> wraps.
/// </remarks>
public readonly struct AttributeValue : IEquatable<AttributeValue>
{
    private AttributeValue(AttributeValueKind kind, ulong number, ReadOnlyMemory<byte> data, DwForm form)
    {
        Kind = kind;
        Number = number;
        Data = data;
        Form = form;
    }

    public AttributeValueKind Kind { get; }

    /// <summary>The pinned form, or 0 to let the emitter choose the most compact one.</summary>
    public DwForm Form { get; }

    /// <summary>Address, constant bits, flag (0/1), section offset, type signature, or packed id; for an expression, whether it has references.</summary>
    public ulong Number { get; }

    /// <summary>UTF-8 string bytes (without NUL), block/expression bytes, data16 bytes, or raw form bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>An expression's operands that name entries, patched by the emitter (null when there are none).</summary>
    public IReadOnlyList<ExpressionReference>? References => ReferencedExpression.ReferencesOf(Kind, Number, Data);

    public long SignedNumber => (long)Number;

    public EntryId EntryId => EntryId.Unpack(Number);

    public RangeListId RangeListId => new((int)(Number >> 32), (int)Number);

    public LocationListId LocationListId => new((int)(Number >> 32), (int)Number);

    public LineProgramId LineProgramId => new((int)Number);

    public static AttributeValue Address(ulong address, DwForm form = 0) => new(AttributeValueKind.Address, address, default, form);

    public static AttributeValue Unsigned(ulong value, DwForm form = 0) => new(AttributeValueKind.Unsigned, value, default, form);

    internal static AttributeValue FromParts(AttributeValueKind kind, ulong number, ReadOnlyMemory<byte> data, DwForm form) => new(kind, number, data, form);

    public static AttributeValue Signed(long value, DwForm form = 0) => new(AttributeValueKind.Signed, (ulong)value, default, form);

    public static AttributeValue Flag(bool value, DwForm form = 0) => new(AttributeValueKind.Flag, value ? 1UL : 0UL, default, form);

    /// <summary>A string (UTF-8 bytes without the NUL terminator).</summary>
    public static AttributeValue String(ReadOnlyMemory<byte> utf8, DwForm form = 0) => new(AttributeValueKind.String, 0, utf8, form);

    public static AttributeValue String(string value, DwForm form = 0) => String(Encoding.UTF8.GetBytes(value), form);

    /// <summary>A string kept inline in .debug_info (DW_FORM_string).</summary>
    public static AttributeValue InlineString(string value) => String(value, DwForm.DW_FORM_string);

    public static AttributeValue LineString(ReadOnlyMemory<byte> utf8) => new(AttributeValueKind.LineString, 0, utf8, 0);

    public static AttributeValue LineString(string value) => LineString(Encoding.UTF8.GetBytes(value));

    public static AttributeValue Block(ReadOnlyMemory<byte> bytes, DwForm form = 0) => new(AttributeValueKind.Block, 0, bytes, form);

    public static AttributeValue Expression(ReadOnlyMemory<byte> bytes, DwForm form = 0, IReadOnlyList<ExpressionReference>? references = null) =>
        references is { Count: > 0 }
            ? new(AttributeValueKind.Expression, ReferencedExpression.Marker, new ReferencedExpression(bytes, references).Memory, form)
            : new(AttributeValueKind.Expression, 0, bytes, form);

    public static AttributeValue Reference(EntryId target, DwForm form = 0) => new(AttributeValueKind.Reference, target.Pack(), default, form);

    public static AttributeValue Reference(EntryBuilder target, DwForm form = 0) => Reference(target.Id, form);

    public static AttributeValue LineProgram(LineProgramId program) => new(AttributeValueKind.LineProgram, (ulong)program.Index, default, 0);

    public static AttributeValue RangeList(RangeListId list, DwForm form = 0) =>
        new(AttributeValueKind.RangeList, ((ulong)(uint)list.Unit << 32) | (uint)list.Index, default, form);

    public static AttributeValue LocationList(LocationListId list, DwForm form = 0) =>
        new(AttributeValueKind.LocationList, ((ulong)(uint)list.Unit << 32) | (uint)list.Index, default, form);

    public static AttributeValue SectionOffset(ulong offset, DwForm form = 0) => new(AttributeValueKind.SectionOffset, offset, default, form);

    /// <summary>Where the unit's macro information (<see cref="UnitBuilder.Macros"/>) will be written.</summary>
    public static AttributeValue Macros() => new(AttributeValueKind.Macros, 0, default, 0);

    public static AttributeValue Data16(ReadOnlyMemory<byte> bytes) =>
        bytes.Length == 16
            ? new(AttributeValueKind.Data16, 0, bytes, 0)
            : throw new ArgumentException("data16 takes exactly 16 bytes", nameof(bytes));

    public static AttributeValue TypeSignature(ulong signature) => new(AttributeValueKind.TypeSignature, signature, default, DwForm.DW_FORM_ref_sig8);

    /// <summary>A value written with exactly this form and these bytes (the form's encoding of the value).</summary>
    public static AttributeValue Raw(DwForm form, ReadOnlyMemory<byte> bytes) => new(AttributeValueKind.Raw, 0, bytes, form);

    public bool Equals(AttributeValue other) =>
        Kind == other.Kind && Form == other.Form && Number == other.Number && Data.Span.SequenceEqual(other.Data.Span);

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Form, Number, Data.Length);

    public static bool operator ==(AttributeValue left, AttributeValue right) => left.Equals(right);

    public static bool operator !=(AttributeValue left, AttributeValue right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        AttributeValueKind.String or AttributeValueKind.LineString => $"{Kind} \"{Encoding.UTF8.GetString(Data.Span)}\"",
        AttributeValueKind.Block or AttributeValueKind.Expression or AttributeValueKind.Data16 or AttributeValueKind.Raw =>
            $"{Kind} {Form} [{Convert.ToHexString(Data.Span)}]",
        AttributeValueKind.Reference => $"{Kind} {EntryId}",
        _ => $"{Kind} 0x{Number:x}",
    };
}

/// <summary>
/// An attribute: name and value, in the order the entry keeps them. The value's fields are stored
/// beside the name, so that an attribute takes 32 bytes rather than 40.
/// </summary>
public readonly struct Attribute : IEquatable<Attribute>
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly ulong _number;
    private readonly DwForm _form;
    private readonly AttributeValueKind _kind;

    public Attribute(DwAt name, AttributeValue value)
    {
        Name = name;
        _data = value.Data;
        _number = value.Number;
        _form = value.Form;
        _kind = value.Kind;
    }

    public DwAt Name { get; }

    public AttributeValue Value => AttributeValue.FromParts(_kind, _number, _data, _form);

    /// <summary>The value's bytes, without making the value.</summary>
    internal ReadOnlyMemory<byte> Data => _data;

    /// <summary>The value's expression references, without making the value.</summary>
    internal IReadOnlyList<ExpressionReference>? References => ReferencedExpression.ReferencesOf(_kind, _number, _data);

    public void Deconstruct(out DwAt name, out AttributeValue value)
    {
        name = Name;
        value = Value;
    }

    public bool Equals(Attribute other) => Name == other.Name && Value.Equals(other.Value);

    public override bool Equals(object? obj) => obj is Attribute other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Name, Value);

    public static bool operator ==(Attribute left, Attribute right) => left.Equals(right);

    public static bool operator !=(Attribute left, Attribute right) => !left.Equals(right);

    public override string ToString() => $"{Name} = {Value}";
}

/// <summary>
/// An expression's bytes together with its operands that name entries, as the owner of a
/// <see cref="ReadOnlyMemory{T}"/>: the value's bytes and references then take one field. Read-only:
/// the span it hands out is never written.
/// </summary>
internal sealed class ReferencedExpression(ReadOnlyMemory<byte> bytes, IReadOnlyList<ExpressionReference> references) : MemoryManager<byte>
{
    /// <summary>
    /// An expression value's number when its bytes are so wrapped: most expressions have no
    /// references, and this spares them the look for an owner (a generic method that ReadyToRun
    /// leaves to the JIT's unoptimized tier, called for every expression the emitter writes).
    /// </summary>
    public const ulong Marker = 1;

    public IReadOnlyList<ExpressionReference> References { get; } = references;

    public static IReadOnlyList<ExpressionReference>? ReferencesOf(AttributeValueKind kind, ulong number, ReadOnlyMemory<byte> data) =>
        kind == AttributeValueKind.Expression && number == Marker && MemoryMarshal.TryGetMemoryManager(data, out ReferencedExpression? owner)
            ? owner.References
            : null;

    public override Span<byte> GetSpan() => MemoryMarshal.AsMemory(bytes).Span;

    public override MemoryHandle Pin(int elementIndex = 0) => MemoryMarshal.AsMemory(bytes)[elementIndex..].Pin();

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>Identifies an entry: its unit's index in the output and its index within the unit.</summary>
public readonly record struct EntryId(int Unit, int Index)
{
    internal ulong Pack() => ((ulong)(uint)Unit << 32) | (uint)Index;

    internal static EntryId Unpack(ulong packed) => new((int)(packed >> 32), (int)packed);

    public override string ToString() => $"unit {Unit} entry {Index}";
}

/// <summary>Identifies a range list owned by a unit.</summary>
public readonly record struct RangeListId(int Unit, int Index);

/// <summary>Identifies a location list owned by a unit.</summary>
public readonly record struct LocationListId(int Unit, int Index);

/// <summary>Identifies a line program of the output.</summary>
public readonly record struct LineProgramId(int Index);
