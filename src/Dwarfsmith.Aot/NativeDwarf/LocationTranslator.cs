using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>The subprogram a wasm expression belongs to: its native function (null when it has no code) and its wasm frame base.</summary>
internal sealed record SubprogramScope(int Depth, NativeFunction? Function, IReadOnlyList<DwarfOperation>? FrameBase);

/// <summary>
/// One wasm location over native code, through <see cref="ExpressionTranslator"/>: one native
/// expression when the C variables it reads stay in one place over the function (-O0), else one
/// per <see cref="LocationPiece"/> (-O2: the variables' location lists cut the code), as location-list
/// entries; none where a variable is nowhere or the expression cannot be translated.
/// </summary>
internal sealed class LocationTranslator(GeneratedCode generated, ulong memoryBase)
{
    private readonly HashSet<uint> _read = [];
    private readonly List<LocationPiece> _pieces = [];

    /// <summary>
    /// The wasm locals <paramref name="operations"/> read, each with where its C variable lives in
    /// the scope's function (null: nowhere); false when the expression reads none whose place
    /// depends on the pc (one expression then serves the whole function).
    /// </summary>
    public bool DependsOnPc(IReadOnlyList<DwarfOperation> operations, SubprogramScope? scope, out Dictionary<uint, NativeLocation?> locals)
    {
        _read.Clear();
        ExpressionTranslator.LocalsRead(operations, scope?.FrameBase, _read);
        locals = new Dictionary<uint, NativeLocation?>(_read.Count);
        bool dependsOnPc = false;
        foreach (var local in _read)
        {
            NativeLocation? location = null;
            scope?.Function?.Variables.TryGetValue(CNames.Local(local), out location);
            locals[local] = location;
            dependsOnPc |= location is { IsList: true };
        }

        return dependsOnPc;
    }

    /// <summary>The translation valid wherever each local is in its one place; false when it cannot be made.</summary>
    public bool TranslateWhole(Unit unit, IReadOnlyList<DwarfOperation> operations, SubprogramScope? scope, IReadOnlyDictionary<uint, NativeLocation?> locals, bool frameBase, ExpressionBuilder output)
    {
        var bound = new Dictionary<uint, BoundLocal>(locals.Count);
        foreach (var (local, location) in locals)
        {
            if (location?.Whole is { } place)
                bound[local] = new BoundLocal(place, location.ByteSize);
        }

        return new ExpressionTranslator(unit, bound, scope?.FrameBase, generated, memoryBase, frameBase).Translate(operations, output);
    }

    /// <summary>
    /// The translation over native code [<paramref name="begin"/>, <paramref name="end"/>), one
    /// entry per piece (adjacent entries with the same expression joined), appended to <paramref name="output"/>.
    /// </summary>
    public void TranslatePieces(Unit unit, IReadOnlyList<DwarfOperation> operations, SubprogramScope? scope, IReadOnlyDictionary<uint, NativeLocation?> locals,
        ulong begin, ulong end, UnitBuilder outputUnit, LocationList output)
    {
        _pieces.Clear();
        LocationPieces.Split(begin, end, locals, _pieces);
        foreach (var piece in _pieces)
        {
            var builder = new ExpressionBuilder(outputUnit);
            if (!new ExpressionTranslator(unit, piece.Locals, scope?.FrameBase, generated, memoryBase, frameBase: false, frameBaseInPlace: true).Translate(operations, builder))
                continue;
            var built = builder.Build();
            var entries = output.Entries;
            if (entries.Count > 0 && entries.Last.End == piece.Begin && entries.Last.References is null && built.References is null
                && entries.Last.Expression.Span.SequenceEqual(built.Bytes.Span))
            {
                entries.Last = entries.Last with { End = piece.End };
            }
            else
            {
                entries.Add(built.At(piece.Begin, piece.End));
            }
        }
    }
}
