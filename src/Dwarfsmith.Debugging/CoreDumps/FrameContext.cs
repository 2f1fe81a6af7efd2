using Dwarfsmith.Debugging.Locations;
using Dwarfsmith.Debugging.Symbols;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.CoreDumps;

/// <summary>What a source frame is made of: the dump's frame, the scopes around its pc, and the state its locations read.</summary>
internal sealed record FrameContext(
    CoreFrame Frame,
    ScopeFrame? Scope,
    string Function,
    ulong? Pc,
    SourcePosition Position,
    Unit? Unit,
    FrameState State,
    string? Note)
{
    /// <summary>
    /// The frame's variables in the order they are shown and looked up: parameters, then locals from
    /// the innermost block out, then function statics. An inlined call's parameters that its
    /// instance does not describe come from the abstract origin (they are then unavailable).
    /// </summary>
    public IEnumerable<(Die Die, VariableKind Kind)> Variables(DieTree tree)
    {
        if (Scope is null)
            yield break;
        var described = new HashSet<long>();
        foreach (var child in Scope.Function.Children)
        {
            if (child.Tag != DwTag.DW_TAG_formal_parameter)
                continue;
            if (tree.TryFollow(child, DwAt.DW_AT_abstract_origin, out var origin))
                described.Add(origin.Offset);
            yield return (child, VariableKind.Parameter);
        }

        if (tree.TryFollow(Scope.Function, DwAt.DW_AT_abstract_origin, out var abstractFunction))
        {
            foreach (var child in abstractFunction.Children)
            {
                if (child.Tag == DwTag.DW_TAG_formal_parameter && !described.Contains(child.Offset))
                    yield return (child, VariableKind.Parameter);
            }
        }

        var statics = new List<Die>();
        foreach (var scope in Scope.Blocks.Append(Scope.Function))
        {
            foreach (var child in scope.Children)
            {
                if (child.Tag != DwTag.DW_TAG_variable)
                    continue;
                if (VariableReader.IsStatic(child))
                    statics.Add(child);
                else
                    yield return (child, VariableKind.Local);
            }
        }

        foreach (var die in statics)
            yield return (die, VariableKind.Static);
    }
}
