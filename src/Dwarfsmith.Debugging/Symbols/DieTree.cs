using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Debugging.Symbols;

/// <summary>
/// The entries of a program's .debug_info as owned <see cref="Die"/> trees, one per unit, loaded
/// when first needed; references (unit-relative, ref_addr, abstract origins) resolve through it.
/// </summary>
public sealed class DieTree
{
    private readonly Dictionary<Unit, Die?> _roots = [];
    private readonly Dictionary<long, Die> _byOffset = [];

    public DieTree(DwarfContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    public DwarfContext Context { get; }

    /// <summary>The root (compile unit) entry of a unit, its tree loaded.</summary>
    public Die? Root(Unit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!_roots.TryGetValue(unit, out var root))
        {
            root = Load(unit);
            _roots[unit] = root;
        }

        return root;
    }

    public IEnumerable<Die> Roots()
    {
        foreach (var unit in Context.Units)
        {
            if (Root(unit) is { } root)
                yield return root;
        }
    }

    /// <summary>The entry at a .debug_info offset.</summary>
    public bool TryGet(long offset, [NotNullWhen(true)] out Die? die)
    {
        if (!_byOffset.TryGetValue(offset, out die) && Context.TryFindUnit(offset, out var unit) && !_roots.ContainsKey(unit))
        {
            Root(unit);
            _byOffset.TryGetValue(offset, out die);
        }

        return die is not null;
    }

    /// <summary>The entry a reference attribute of <paramref name="from"/> names.</summary>
    public bool TryFollow(Die from, DwAt reference, [NotNullWhen(true)] out Die? target)
    {
        ArgumentNullException.ThrowIfNull(from);
        target = null;
        return from.TryGet(reference, out var value) && from.Unit.TryResolveReference(value, out var offset) && TryGet(offset, out target);
    }

    /// <summary>
    /// An attribute of the entry or of the entries it stands for: its abstract origin or
    /// specification (an inlined or out-of-line instance takes its name and type from them).
    /// </summary>
    public bool TryGetInherited(Die die, DwAt name, out AttributeValue value, [NotNullWhen(true)] out Die? owner)
    {
        ArgumentNullException.ThrowIfNull(die);
        for (int hops = 0; hops < 8; hops++)
        {
            if (die.TryGet(name, out value))
            {
                owner = die;
                return true;
            }

            if (!TryFollow(die, DwAt.DW_AT_abstract_origin, out var next) && !TryFollow(die, DwAt.DW_AT_specification, out next))
                break;
            die = next;
        }

        value = default;
        owner = null;
        return false;
    }

    public string? NameOf(Die die) =>
        TryGetInherited(die, DwAt.DW_AT_name, out var value, out var owner) ? owner.Unit.GetString(value) : null;

    /// <summary>The type entry of a variable, member or type (null for void).</summary>
    public Die? TypeOf(Die die) =>
        TryGetInherited(die, DwAt.DW_AT_type, out var value, out var owner) && owner.Unit.TryResolveReference(value, out var offset) && TryGet(offset, out var type)
            ? type
            : null;

    private Die? Load(Unit unit)
    {
        var cursor = unit.Entries();
        var stack = new Stack<Die>();
        Die? root = null;
        var attributes = new List<AttributeValue>();
        while (cursor.MoveNext())
        {
            if (cursor.IsNull)
            {
                if (stack.Count > 0)
                    stack.Pop();
                continue;
            }

            attributes.Clear();
            foreach (var a in cursor.Attributes)
                attributes.Add(a);
            var parent = stack.Count > 0 ? stack.Peek() : null;
            var die = new Die(unit, cursor.Offset, cursor.Tag, [.. attributes], parent);
            _byOffset[die.Offset] = die;
            if (parent is null)
                root ??= die;
            else
                parent.Children.Add(die);
            if (cursor.HasChildren)
                stack.Push(die);
        }

        return root;
    }
}
