using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>What an address stands for, so that a visitor maps code and data addresses differently.</summary>
public enum AddressUse : byte
{
    /// <summary>The address of an instruction (low_pc, call_return_pc, a line row, a range's begin).</summary>
    Code,

    /// <summary>The exclusive end of code (a sequence's end address).</summary>
    CodeEnd,

    /// <summary>An address in the program's data (DW_OP_addr, DW_OP_addrx in expressions).</summary>
    Data,

    /// <summary>A unit's base address for its lists (a compile unit's low_pc beside DW_AT_ranges).</summary>
    UnitBase,
}

/// <summary>What becomes of an input entry.</summary>
public enum EntryAction : byte
{
    /// <summary>Copy it: its attributes and children are visited.</summary>
    Keep,

    /// <summary>Leave it and its descendants out; references to them are dangling.</summary>
    Drop,

    /// <summary>Leave the entry out but keep its children, which join its parent.</summary>
    Unwrap,
}

/// <summary>
/// The hooks of <see cref="DwarfTransform"/>. Every hook defaults to the identity, so a visitor
/// overrides only what it changes. Hooks that may turn one input item into several write into the
/// sink they are given; references between entries and into lists are fixed up by the pass.
/// </summary>
// The pass asks which hooks a visitor overrides (reflection over its public methods): kept when trimmed.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
public class DwarfVisitor
{
    /// <summary>The identity: a rewrite through it means the same as its input.</summary>
    public static readonly DwarfVisitor Identity = new();

    /// <summary>
    /// True when the visitor moves code addresses, so that sections the pass cannot rewrite and that
    /// hold code addresses (.debug_frame) must be left out. Defaults to whether MapAddress or MapRange is overridden.
    /// </summary>
    public virtual bool MovesCode => DwarfTransform.OverridesMapping(GetType());

    /// <summary>
    /// A visitor to translate line rows and location lists with on a worker thread while the pass
    /// walks the entries with this one, or null (the default) to translate them on the walk's
    /// thread. Its <see cref="VisitLineSequence"/>, <see cref="VisitLineRow"/>,
    /// <see cref="VisitLocation"/>, <see cref="VisitOperation"/> (for the lists' expressions),
    /// <see cref="MapAddress"/> and <see cref="MapRange"/> run at the same time as this visitor's
    /// hooks, so the two must share no mutable state; it may be this visitor when its hooks keep
    /// none. The location lists are then filled in on the worker: the entry hooks must not read
    /// them (they are complete when the pass returns). Line program headers and everything else
    /// are visited on the walk's thread, by this visitor.
    /// <para>
    /// A visitor that overrides none of the row hooks and MapAddress has its rows translated on the
    /// worker anyway (no code of its runs there); one that overrides none of the list hooks
    /// (VisitLocation, VisitExpression, VisitOperation), the mapping hooks, AfterAttributes,
    /// AfterChildren and EndUnit, its location lists.
    /// </para>
    /// </summary>
    public virtual DwarfVisitor? WorkerVisitor() => null;

    // ---------- units ----------

    /// <summary>False leaves the unit out (references into it are dangling).</summary>
    public virtual bool KeepUnit(Unit unit) => true;

    /// <summary>The DWARF version of the output unit (and of its line program).</summary>
    public virtual ushort OutputVersion(Unit unit) => (ushort)unit.Version;

    /// <summary>
    /// The address size of the output unit (and of its line program): the input's by default. Every
    /// address-bearing form, list entry, expression operand (DW_OP_addr) and line-program address is
    /// written at this size; the addresses themselves are what the mapping hooks give. Tombstones
    /// (dead code) that the pass carries over unmapped become the tombstones of the new size
    /// (−1 and −2 of it, see <see cref="Tombstones.Resize"/>). Other meaning that depends on the
    /// size (DW_OP_deref reads an address-sized value, DW_AT_byte_size of pointers) is the visitor's.
    /// </summary>
    public virtual byte OutputAddressSize(Unit unit) => (byte)unit.AddressSize;

    /// <summary>Called when the output unit exists, before its root's attributes are visited.</summary>
    public virtual void BeginUnit(Unit input, UnitBuilder output)
    {
    }

    /// <summary>Called after the unit's entries: add synthetic entries here.</summary>
    public virtual void EndUnit(Unit input, UnitBuilder output)
    {
    }

    // ---------- entries ----------

    /// <summary>Decides the fate of a non-root entry; the cursor is on it. <paramref name="parent"/> is where it would go.</summary>
    public virtual EntryAction VisitEntry(EntryCursor entry, EntryBuilder parent) => EntryAction.Keep;

    /// <summary>Called after a kept entry's attributes and before its children: change the tag, add attributes or first children.</summary>
    public virtual void AfterAttributes(EntryCursor entry, EntryBuilder output)
    {
    }

    /// <summary>Called after a kept entry's children: append synthetic children.</summary>
    public virtual void AfterChildren(long inputOffset, EntryBuilder output)
    {
    }

    // ---------- attributes ----------

    /// <summary>
    /// Visits one attribute of a kept entry. The default keeps it: the pass translates the value,
    /// mapping addresses, ranges, lists and expressions through the other hooks. Not calling
    /// <paramref name="output"/> drops the attribute; <see cref="AttributeWriter.Write"/> replaces it.
    /// </summary>
    public virtual void VisitAttribute(in Reading.AttributeValue attribute, AttributeWriter output) => output.Keep();

    // ---------- addresses ----------

    /// <summary>Maps an address to zero, one or many. Where a single address is needed, the pass takes the lowest.</summary>
    public virtual void MapAddress(ulong address, AddressUse use, AddressSink output) => output.Add(address);

    /// <summary>Maps a code range [begin, end) to zero, one or many ranges.</summary>
    public virtual void MapRange(ulong begin, ulong end, RangeSink output) => output.Add(begin, end);

    // ---------- location lists and expressions ----------

    /// <summary>Visits one location-list entry (not tombstoned); the default maps its range and rewrites its expression.</summary>
    public virtual void VisitLocation(in Reading.LocationListEntry entry, LocationSink output) => output.Keep(entry);

    /// <summary>
    /// True when <see cref="VisitExpression"/> must see every expression (exprloc attributes and each
    /// location-list entry's), even those the pass would copy unchanged; false (the default) lets the
    /// pass copy, without decoding them, expressions that hold nothing it rewrites.
    /// </summary>
    public virtual bool VisitsEveryExpression => false;

    /// <summary>
    /// Visits one input expression as a whole, when the pass rewrites it (every one with
    /// <see cref="VisitsEveryExpression"/>): <paramref name="expression"/> says what it belongs to and
    /// decodes its operations. The default visits each operation (<see cref="ExpressionWriter.VisitOperations"/>);
    /// write anything else through <paramref name="output"/> (its <see cref="ExpressionWriter.Builder"/>
    /// has branch labels and operands naming entries), or, for an exprloc attribute, make the
    /// attribute a location list (<see cref="ExpressionWriter.WriteLocationList"/>), or leave out an
    /// expression that cannot be translated, with its attribute or list entry (<see cref="ExpressionWriter.LeaveOut"/>).
    /// </summary>
    public virtual void VisitExpression(in ExpressionInput expression, ExpressionWriter output) => output.VisitOperations();

    /// <summary>
    /// Visits one operation of an expression being rewritten. The default keeps it, mapping address
    /// operands and re-pointing entry operands. Write zero or more operations to replace it.
    /// </summary>
    public virtual void VisitOperation(in DwarfOperation operation, ExpressionWriter output) => output.Keep(operation);

    // ---------- line programs ----------

    /// <summary>Called after the input header was copied into <paramref name="output"/>: edit file tables here.</summary>
    public virtual void VisitLineProgramHeader(Reading.LineProgram input, Writing.LineProgram output)
    {
    }

    /// <summary>
    /// Called with a unit's macro information, read into <paramref name="output"/> in the output
    /// unit's format: edit its entries here (e.g. renumber StartFile's line-table files along with
    /// the line program's).
    /// </summary>
    public virtual void VisitMacros(Unit input, Writing.MacroUnit output)
    {
    }

    /// <summary>Visits one sequence (not tombstoned); the default visits each row, then ends it at its mapped end.</summary>
    public virtual void VisitLineSequence(LineSequenceInput sequence, LineSequenceSink output) => output.Keep(sequence);

    /// <summary>Visits one row (not an end_sequence row); the default adds it at each mapped address.</summary>
    public virtual void VisitLineRow(in Reading.LineRow row, LineSequenceSink output) => output.Keep(row);
}
