using Dwarfsmith.Dwarf;

namespace Dwarfsmith.Debugging.Symbols;

/// <summary>
/// One source-level frame of a wasm frame: a function (a subprogram, or an inlined subroutine
/// expanded from its caller) and the lexical blocks inside it that contain the pc, innermost first.
/// </summary>
public sealed record ScopeFrame(Die Function, Die Subprogram, IReadOnlyList<Die> Blocks)
{
    public bool IsInlined => Function.Tag == DwTag.DW_TAG_inlined_subroutine;
}

/// <summary>Finds the scopes around a pc: the subprogram, then the blocks and inlined subroutines nested in it.</summary>
public static class ScopeFinder
{
    /// <summary>The entries from the subprogram containing <paramref name="pc"/> down to the innermost scope, outermost first.</summary>
    public static List<Die> Chain(DieTree tree, ulong pc)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var chain = new List<Die>();
        foreach (var root in tree.Roots())
        {
            var unitRanges = CodeRanges.Of(root);
            if (unitRanges.Count > 0 && !unitRanges.Exists(r => pc >= r.Begin && pc < r.End))
                continue;
            if (FindSubprogram(root, pc) is { } subprogram)
            {
                chain.Add(subprogram);
                var scope = subprogram;
                while (scope.Children.Find(c => c.Tag is DwTag.DW_TAG_lexical_block or DwTag.DW_TAG_inlined_subroutine && CodeRanges.Contains(c, pc)) is { } inner)
                {
                    chain.Add(inner);
                    scope = inner;
                }

                return chain;
            }
        }

        return chain;
    }

    /// <summary>The chain split into source frames, innermost (the youngest inlined call) first.</summary>
    public static List<ScopeFrame> Frames(IReadOnlyList<Die> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var frames = new List<ScopeFrame>();
        if (chain.Count == 0)
            return frames;
        var blocks = new List<Die>();
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var die = chain[i];
            if (die.Tag is DwTag.DW_TAG_subprogram or DwTag.DW_TAG_inlined_subroutine)
            {
                frames.Add(new ScopeFrame(die, chain[0], [.. blocks]));
                blocks.Clear();
            }
            else
            {
                blocks.Add(die);
            }
        }

        return frames;
    }

    private static Die? FindSubprogram(Die scope, ulong pc)
    {
        foreach (var child in scope.Children)
        {
            if (child.Tag == DwTag.DW_TAG_subprogram)
            {
                if (CodeRanges.Contains(child, pc))
                    return child;
            }
            else if (child.Tag is DwTag.DW_TAG_namespace or DwTag.DW_TAG_structure_type or DwTag.DW_TAG_class_type && FindSubprogram(child, pc) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
